"""openrosa.md's acceptance matrix T1–T18, end to end: a live server over real HTTP, driven by the
Collect-faithful client through both authentication modes (token in the URL, and Digest)."""
import hashlib
import uuid

import pytest
import requests
from lxml import etree

from server.accounts import devices
from server.infra.extensions import db
from server.models import Attachment, Enumerator, Submission
from server.accounts.provisioning import device_settings
from testkit.collect_client import CollectClient, CollectProtocolError
from testkit.collect_parse import SAFE_PARSER, parse_openrosa_message
from testkit.collect_wire import MultipartBody, build_instance_xml
from tests.integration.openrosa.encryption import encrypted_submission
from testkit.openrosa_factories import (ENCRYPTED, MEDIA, PASSWORD, PLAIN, SURVEY, publish, rotate,
                                        setup_evaluation)

pytestmark = pytest.mark.e2e
PHOTO = bytes(range(256)) * 800  # 200 KB


@pytest.fixture(params=["token", "digest"])
def collect(request, live_server, app):
    app.config["PUBLIC_URL"] = live_server
    evaluation, enumerator, token = setup_evaluation()
    publish(evaluation, SURVEY, media=MEDIA)
    publish(evaluation, PLAIN, form_id="plain")
    if request.param == "token":
        client = CollectClient(f"{live_server}/key/{token}/{evaluation.code}")
    else:
        client = CollectClient(f"{live_server}/{evaluation.code}", "enum1", PASSWORD)
    client.mode, client.evaluation = request.param, evaluation
    client.enumerator, client.token = enumerator, token
    return client


def _xml(form_id="household", version="1", instance_id=None, **fields):
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    values = {"household": "HH-1", "photo": "", "photo2": "", "village": "v1"}
    values.update(fields)
    if form_id != "household":
        values = {"q1": "x", **fields}
    return instance_id, build_instance_xml(form_id, version, instance_id, values)


def _rows():
    db.session.rollback()  # see what the server's requests committed
    return db.session.query(Submission).order_by(Submission.id).all()


def _names(submission_id):
    return sorted(a.name for a in db.session.query(Attachment).filter_by(submission_id=submission_id))


def test_t1_t3_t4_formlist_forms_and_media(collect):
    raw = collect.request("GET", collect.server_url + "/formList")
    assert raw.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert raw.headers["X-OpenRosa-Version"] == "1.0"
    entries = {e.form_id: e for e in collect.form_list()}
    assert set(entries) == {"household", "plain"}
    form, media = collect.download_all(entries["household"])  # md5 of form and media checked inside
    assert media == MEDIA and etree.fromstring(form, SAFE_PARSER) is not None
    assert collect.manifest(entries["plain"]) == []


def test_t2_formid_filter_and_unknown_parameters(collect):
    answer = collect.request("GET", collect.server_url + "/formList?formID=plain&verbose=true")
    root = etree.fromstring(answer.content, SAFE_PARSER)
    ids = [x.findtext("{http://openrosa.org/xforms/xformsList}formID") for x in root]
    assert answer.status_code == 200 and ids == ["plain"]


def test_t5_preflight(collect):
    head = collect.request("HEAD", collect.server_url + "/submission")
    assert head.status_code == 204 and "Location" not in head.headers
    assert int(head.headers["X-OpenRosa-Accept-Content-Length"]) == 100 * 1024 * 1024


def test_t6_t7_t8_submit_resend_conflict(collect):
    instance_id, xml = _xml()
    first = collect.submit(xml)
    assert first.ok and first.head_status == 204 and first.statuses == [201] and first.message
    again = collect.submit(xml)
    assert again.ok and again.statuses[-1] in (201, 202)
    _, changed = _xml(instance_id=instance_id, household="HH-2")
    conflict = collect.submit(changed)
    assert conflict.statuses == [409] and conflict.message and conflict.error == f"Error: {conflict.message}"
    assert len(_rows()) == 1 and _rows()[0].device_id == collect.device_id


def test_t9_split_upload_by_the_advertised_length(collect, app):
    app.config["OPENROSA_ACCEPT_CONTENT_LENGTH"] = 300_000
    _, xml = _xml(photo="a.jpg", photo2="b.jpg")
    result = collect.submit(xml, [("a.jpg", PHOTO), ("b.jpg", PHOTO[::-1])])
    assert result.ok and result.batches == [["a.jpg"], ["b.jpg"]] and result.statuses == [201, 201]
    row, = _rows()
    assert _names(row.id) == ["a.jpg", "b.jpg"]


def test_t10_unreferenced_and_non_ascii_attachments(collect):
    name = "户主照片.jpg"
    _, xml = _xml(photo=name)
    result = collect.submit(xml, [(name, PHOTO), ("extra.txt", b"not referenced")])
    assert result.ok and result.statuses == [201]
    assert _names(_rows()[0].id) == [name]


def test_t11_edit(collect):
    old_id, xml = _xml(photo="a.jpg")
    assert collect.submit(xml, [("a.jpg", PHOTO)]).ok
    new_id = f"uuid:{uuid.uuid4()}"
    edited = build_instance_xml("household", "1", new_id, {"household": "HH-9", "photo": "a.jpg"},
                                deprecated_id=old_id)
    assert collect.submit(edited).statuses == [201]
    old, new = _rows()
    assert not old.current and new.current and new.root_instance_id == old_id
    assert _names(new.id) == ["a.jpg"]  # carried forward


def test_t12_versions_and_states(collect):
    publish(collect.evaluation, SURVEY, version="2", media=MEDIA)
    publish(collect.evaluation, PLAIN, form_id="shut", state="closed")
    assert collect.submit(_xml(version="1")[1]).statuses == [201]
    unknown = collect.submit(_xml(version="77")[1])
    assert unknown.statuses == [404] and unknown.message
    closed = collect.submit(_xml(form_id="shut")[1])
    assert closed.statuses == [409] and closed.message


def _post(collect, body):
    return collect.request("POST", collect.server_url + "/submission", body.finish())


def test_t13_missing_xml_part_and_malformed_xml(collect):
    collect.request("HEAD", collect.server_url + "/submission")  # authenticate as Collect does
    body = MultipartBody()
    body.add("photo.jpg", PHOTO, filename="photo.jpg", content_type="image/jpeg")
    missing = _post(collect, body)
    assert missing.status_code == 400 and parse_openrosa_message(missing.content)
    body = MultipartBody()
    body.add("xml_submission_file", b"<data id='household'><oops></data>", filename="x.xml")
    malformed = _post(collect, body)
    assert malformed.status_code == 400 and parse_openrosa_message(malformed.content)
    assert _rows() == []


def test_t14_body_over_the_limit(collect, app):
    app.config["MAX_CONTENT_LENGTH"] = 1_000_000
    collect.request("HEAD", collect.server_url + "/submission")
    body = MultipartBody()
    body.add("xml_submission_file", _xml(photo="big.jpg")[1], filename="x.xml")
    body.add("big.jpg", PHOTO * 8, filename="big.jpg")
    answer = _post(collect, body)
    assert answer.status_code == 413 and parse_openrosa_message(answer.content)
    assert _rows() == []


def test_t15_t16_refusals(collect, live_server):
    if collect.mode == "token":
        bad = CollectClient(f"{live_server}/key/wrong-token/{collect.evaluation.code}")
        answer = bad.request("GET", bad.server_url + "/formList")
        assert answer.status_code == 403 and parse_openrosa_message(answer.content)
        with pytest.raises(CollectProtocolError):
            bad.form_list()
        return
    plain = requests.get(collect.server_url + "/formList", headers={"X-OpenRosa-Version": "1.0"}, timeout=10)
    assert plain.status_code == 401
    challenge = plain.headers["WWW-Authenticate"]
    assert challenge.startswith("Digest ") and 'qop="auth"' in challenge and "nonce=" in challenge
    assert "Basic" not in challenge
    wrong = CollectClient(collect.server_url, "enum1", "not-the-password")
    assert wrong.request("GET", wrong.server_url + "/formList").status_code == 401


def test_t17_encrypted_submission(collect):
    publish(collect.evaluation, ENCRYPTED, form_id="secret", public_key=encrypted_submission.PUBLIC_KEY)
    instance_id, envelope, parts = encrypted_submission("secret", "1", {"q1": "x", "photo": "p.jpg"},
                                                        {"p.jpg": PHOTO})
    result = collect.submit(envelope, parts, instance_filename="submission.xml")
    assert result.ok and result.statuses == [201]
    row, = _rows()
    assert row.encrypted and row.instance_id == instance_id
    stored = {a.name: a.sha256 for a in db.session.query(Attachment).filter_by(submission_id=row.id)}
    assert stored == {name: hashlib.sha256(data).hexdigest() for name, data in parts}


def test_t18_qr_payload_points_collect_at_the_server_and_rotation_revokes_it(collect, live_server):
    # Whichever way this phone signs in, the provisioning QR carries the token URL.
    enumerator = db.session.get(Enumerator, collect.enumerator.id)
    settings = devices.decode_payload(device_settings(collect.evaluation, enumerator).payload)
    assert {"general", "admin"} <= set(settings)
    url = settings["general"]["server_url"]
    assert url == f"{live_server}/key/{collect.token}/{collect.evaluation.code}"
    assert settings["general"]["form_update_mode"] == "match_exactly"
    assert settings["general"]["app_language"] == "zh" and settings["general"]["metadata_username"] == "enum1"
    assert {e.form_id for e in CollectClient(url).form_list()} == {"household", "plain"}
    rotate(enumerator)
    assert CollectClient(url).request("GET", url + "/formList").status_code == 403

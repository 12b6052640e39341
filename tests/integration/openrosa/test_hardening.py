"""What an attacker found, closed: Digest replays, HA1 in clear, a credential inside a form, the wrong
message for a limit, a database away answered 500."""
import io
import os
import shutil
import subprocess
from urllib.parse import urlsplit

import pytest
from lxml import etree
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from server.questionnaires import forms_service
from server.infra.errors import Problem
from server.infra.extensions import db, rq
from server.models import Submission
from server.openrosa import multipart
from server.accounts.users import ha1
from testkit.collect_client import CollectClient
from testkit.collect_wire import DigestState, build_instance_xml, request_headers
from testkit.factories import make_enumerator, make_user
from tests.faults.services import free_port
from tests.integration.openrosa.conftest import message_of, multipart as multipart_body, post
from testkit.openrosa_factories import PASSWORD

SETTINGS_URL = """| survey |
| | type | name | label |
| | text | q1 | 问题 Question |
| settings |
| | form_id | version | submission_url |
| | {form_id} | {version} | {url} |
"""


def _challenge(client, url, method="GET"):
    first = client.open(url, method=method)
    assert first.status_code == 401
    return _params(first)


def _params(response):
    value = response.headers["WWW-Authenticate"][len("Digest "):]
    return {k: v.strip('"') for k, v in (p.strip().split("=", 1) for p in value.split(", "))}


# --------------------------------------------------------------------------- Digest replays

def test_a_replayed_digest_header_is_refused_and_a_fresh_one_accepted(client, world):
    url = f"/{world.evaluation.code}/formList"
    state = DigestState(_challenge(client, url))
    header = state.authorization("GET", "http://localhost" + url, "enum1", PASSWORD)
    assert client.get(url, headers={"Authorization": header}).status_code == 200
    replayed = client.get(url, headers={"Authorization": header})
    assert replayed.status_code == 401
    renewed = _params(replayed)
    assert renewed["stale"] == "true" and renewed["nonce"] != state.params["nonce"]
    # the phone's next request on the same nonce counts up, and is accepted
    following = state.authorization("GET", "http://localhost" + url, "enum1", PASSWORD)
    assert client.get(url, headers={"Authorization": following}).status_code == 200
    # and on the fresh nonce as well
    fresh = DigestState(renewed).authorization("GET", "http://localhost" + url, "enum1", PASSWORD)
    assert client.get(url, headers={"Authorization": fresh}).status_code == 200


def test_a_captured_submission_header_cannot_store_another_interview(client, world):
    url = f"/{world.evaluation.code}/submission"
    state = DigestState(_challenge(client, url, "HEAD"))
    header = state.authorization("POST", "http://localhost" + url, "enum1", PASSWORD)
    first = build_instance_xml("plain", "1", "uuid:first", {"q1": "real"})
    forged = build_instance_xml("plain", "1", "uuid:forged", {"q1": "forged"})
    assert post(client, url, first, headers={"Authorization": header}).status_code == 201
    replay = post(client, url, forged, headers={"Authorization": header})
    assert replay.status_code == 401 and 'stale=true' in replay.headers["WWW-Authenticate"]
    assert [s.instance_id for s in db.session.query(Submission)] == ["uuid:first"]


def test_a_lower_count_on_a_nonce_is_refused(client, world):
    url = f"/{world.evaluation.code}/formList"
    state = DigestState(_challenge(client, url))
    state.nc = 4
    assert client.get(url, headers={"Authorization": state.authorization(
        "GET", "http://localhost" + url, "enum1", PASSWORD)}).status_code == 200  # nc 5
    state.nc = 2
    assert client.get(url, headers={"Authorization": state.authorization(
        "GET", "http://localhost" + url, "enum1", PASSWORD)}).status_code == 401  # nc 3 after 5


def test_collect_reauthenticates_through_replays_transparently(live_server, world):
    phone = CollectClient(f"{live_server}/{world.evaluation.code}", "enum1", PASSWORD)
    for n in range(3):
        phone.form_list()
        phone._auth[next(iter(phone._auth))].nc = 0  # a buggy client counting from 1 again
        result = phone.submit(build_instance_xml("plain", "1", f"uuid:again-{n}", {"q1": str(n)}))
        assert result.ok and result.statuses[-1] == 201, (result.statuses, result.error)
    assert db.session.query(Submission).count() == 3


def test_while_redis_is_unreachable_a_digest_request_is_503_never_accepted_unchecked(app, client, world):
    url = f"/{world.evaluation.code}/submission"
    state = DigestState(_challenge(client, url, "HEAD"))
    header = state.authorization("POST", "http://localhost" + url, "enum1", PASSWORD)
    xml = build_instance_xml("plain", "1", "uuid:during-outage", {"q1": "x"})
    _redis_at(app, Redis(host="127.0.0.1", port=free_port(), socket_connect_timeout=1))
    try:
        answer = post(client, url, xml, headers={"Authorization": header, "Accept-Language": "zh"})
        assert answer.status_code == 503 and answer.headers["Retry-After"].isdigit()
        assert message_of(answer) == ("error", "服务器暂时无法处理，请稍后重新发送。")
        assert db.session.query(Submission).count() == 0
        # a phone signed in by the token in its URL needs no nonce count
        assert client.get(world.base + "/formList", headers=request_headers()).status_code == 200
    finally:
        _redis_at(app, None)
    retried = state.authorization("POST", "http://localhost" + url, "enum1", PASSWORD)
    assert post(client, url, xml, headers={"Authorization": retried}).status_code == 201
    assert post(client, url, xml, headers={"Authorization": retried}).status_code == 401  # and counted


def _redis_at(app, connection):
    """Point the app's Redis at `connection` (None: the configured one again)."""
    app.extensions["rq"]._connection = connection
    app.extensions.pop("fieldcheck.nonce_count_script", None)


# --------------------------------------------------------------------------- HA1 at rest

def test_ha1_is_kept_encrypted(world):
    clear = ha1("enum1", "fieldcheck", PASSWORD)
    stored = db.session.execute(text("SELECT digest_ha1_encrypted FROM enumerator WHERE username = 'enum1'"))
    sealed = stored.scalar()
    assert sealed and clear not in sealed
    columns = [c["name"] for c in db.inspect(db.engine).get_columns("enumerator")]
    assert "digest_ha1" not in columns


def test_ha1_is_absent_from_a_pg_dump(app, world):
    url = db.engine.url
    if url.get_backend_name() != "postgresql" or not shutil.which("pg_dump"):
        pytest.skip("needs PostgreSQL and pg_dump")
    clear = ha1("enum1", "fieldcheck", PASSWORD)
    env = {**os.environ, "PGPASSWORD": url.password or ""}
    command = ["pg_dump", "--data-only", "-h", url.host or "127.0.0.1", "-p", str(url.port or 5432),
               "-U", url.username or "postgres", url.database]
    dump = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    assert "enum1" in dump  # the dump holds the enumerator's row
    assert clear not in dump and clear.upper() not in dump


# --------------------------------------------------------------------------- a credential in a form

def test_a_form_whose_submission_url_holds_a_token_is_refused(world):
    url = f"http://fieldcheck.test/key/{world.token}/county1/submission"
    with pytest.raises(Problem) as refused:
        forms_service.publish_form(world.evaluation, SETTINGS_URL.format(
            form_id="leaky", version="1", url=url).encode(), "leaky.md", actor="test")
    assert refused.value.code == "form.submission_url_credential"
    assert world.token not in refused.value.message and "submission_url" in refused.value.message


@pytest.mark.parametrize("url, code", [
    ("https://collector.example.com/submission", "form.submission_url_foreign"),
    ("http://fieldcheck.test/county1/submission?token=abc", "form.submission_url_credential"),
    ("http://enum1:secret@fieldcheck.test/county1/submission", "form.submission_url_credential"),
])
def test_a_form_sending_elsewhere_or_with_a_secret_is_refused(world, url, code):
    source = SETTINGS_URL.format(form_id="leaky", version="1", url=url).encode()
    with pytest.raises(Problem) as refused:
        forms_service.publish_form(world.evaluation, source, "leaky.md", actor="test")
    assert refused.value.code == code and refused.value.status == 422


def test_a_plain_submission_url_of_this_server_is_dropped_and_interviews_credited_to_their_sender(
        app, live_server, world):
    app.config["PUBLIC_URL"] = live_server
    url = f"{live_server}/county1/submission"
    forms_service.publish_form(world.evaluation, SETTINGS_URL.format(form_id="own", version="1", url=url)
                               .encode(), "own.md", actor="test")
    db.session.commit()
    other, other_token = make_enumerator(world.evaluation, username="enum2")
    phone = CollectClient(f"{live_server}/key/{other_token}/county1")
    entry = next(e for e in phone.form_list() if e.form_id == "own")
    form = etree.fromstring(phone.download_form(entry))
    actions = [s.get("action") for s in form.iter("{http://www.w3.org/2002/xforms}submission")]
    assert actions == []  # Collect posts to its own server URL
    result = phone.submit(build_instance_xml("own", "1", "uuid:by-enum2", {"q1": "x"}))
    assert result.ok and urlsplit(result.submission_url).path.startswith(f"/key/{other_token}/")
    db.session.expire_all()
    stored = db.session.query(Submission).filter_by(instance_id="uuid:by-enum2").one()
    assert stored.enumerator_id == other.id != world.enumerator.id


def _upload_through_the_api(app, client, world, url, lang):
    make_user("sup1", "supervisor", world.evaluation)
    headers = {"X-CSRF-Token": client.post("/api/v1/session", json={
        "username": "sup1", "password": "correct horse battery"}).json["csrf_token"], "Accept-Language": lang}
    source = SETTINGS_URL.format(form_id="settings_url", version="1", url=url).encode()
    answer = client.post("/api/v1/evaluations/county1/forms", headers=headers,
                         content_type="multipart/form-data",
                         data={"file": (io.BytesIO(source), "settings_url.md"), "publish": "yes"})
    assert answer.status_code == 202, answer.json
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)  # the conversion is a job
    return client.get(answer.json["status_url"]).json


@pytest.mark.parametrize("lang, text", [("zh", "指向其他服务器"), ("en", "points at another server")])
def test_through_the_api_without_public_url_a_foreign_url_is_refused_with_its_message(
        app, client, world, lang, text):
    app.config["PUBLIC_URL"] = ""  # the default: this server is known by the host the upload came to
    job = _upload_through_the_api(app, client, world, "https://collector.example.com/submission", lang)
    assert job["state"] == "failed" and job["result"]["code"] == "form.submission_url_foreign"
    assert text in job["error"] and "https://collector.example.com/submission" in job["error"]


def test_through_the_api_a_url_of_this_server_is_dropped_with_a_warning(app, client, world):
    app.config["PUBLIC_URL"] = ""
    job = _upload_through_the_api(app, client, world, "http://localhost/county1/submission", "en")
    assert job["state"] == "done" and job["result"]["published"] is True
    version_id = job["result"]["version_id"]
    version = client.get(f"/api/v1/evaluations/county1/forms/settings_url/versions/{version_id}")
    assert any("submission_url (http://localhost/county1/submission) was removed" in w
               for w in version.json["warnings"])
    served = client.get(world.base + "/forms/settings_url.xml", headers=request_headers())
    assert served.status_code == 200 and b"action=" not in served.data


# --------------------------------------------------------------------------- a message per limit

def _refusal(client, world, body, lang, status=413):
    headers = {**request_headers(), "Accept-Language": lang}
    data, ctype = body
    response = client.post(world.base + "/submission", data=data, content_type=ctype, headers=headers)
    assert response.status_code == status
    assert db.session.query(Submission).count() == 0
    return message_of(response)[1]


def _both(client, world, body, status=413):
    return _refusal(client, world, body, "zh", status), _refusal(client, world, body, "en", status)


def test_too_many_parts_says_parts_in_both_languages(client, world):
    xml = build_instance_xml("plain", "1", "uuid:parts", {"q1": "x"})
    body = multipart_body(xml, [(f"f{n}.jpg", b"x") for n in range(multipart.MAX_PARTS + 1)])
    zh, en = _refusal(client, world, body, "zh"), _refusal(client, world, body, "en")
    assert "1000 个文件和字段" in zh and "字节" not in zh
    assert "at most 1000 files and fields" in en and "bytes" not in en


def test_an_oversized_field_and_oversized_xml_each_say_so(client, world, monkeypatch):
    xml = build_instance_xml("plain", "1", "uuid:field", {"q1": "x"})
    data, ctype = multipart_body(xml)
    boundary = ctype.split("boundary=")[1]
    field = (f'--{boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n' + "x" * 5000 + "\r\n")
    big_field = (data.replace(f"--{boundary}--".encode(), field.encode() + f"--{boundary}--".encode()), ctype)
    assert "“note”过大（最多 4096 字节）" in _refusal(client, world, big_field, "zh")
    assert "The field 'note' of the upload is too large (at most 4096 bytes)" in _refusal(
        client, world, big_field, "en")
    monkeypatch.setattr(multipart, "MAX_XML_BYTES", 200)
    big_xml = multipart_body(build_instance_xml("plain", "1", "uuid:xml", {"q1": "y" * 400}))
    assert "问卷数据（XML）过大（最多 200 字节）" in _refusal(client, world, big_xml, "zh")
    assert "The form data (XML) is too large (at most 200 bytes)" in _refusal(client, world, big_xml, "en")


def test_a_body_over_the_upload_limit_says_megabytes(app, client, world):
    app.config["MAX_CONTENT_LENGTH"] = 3 * 2 ** 20
    body = multipart_body(build_instance_xml("plain", "1", "uuid:big", {"q1": "x"}),
                          [("big.jpg", b"x" * (3 * 2 ** 20 + 10))])
    assert "单次上传最多 3 MB" in _refusal(client, world, body, "zh")
    assert "at most 3 MB in one upload" in _refusal(client, world, body, "en")


def test_part_headers_over_their_limit_say_headers_not_incomplete(client, world):
    data, ctype = multipart_body(build_instance_xml("plain", "1", "uuid:hdr", {"q1": "x"}))
    boundary = ctype.split("boundary=")[1]
    long_part = (f'--{boundary}\r\nContent-Disposition: form-data; name="a.jpg"; filename="a.jpg"\r\n'
                 f'X-Padding: {"p" * (multipart.MAX_HEADER_BYTES + 10)}\r\n\r\nx\r\n').encode()
    zh, en = _both(client, world, (long_part + data, ctype))
    assert "头信息过长（最多 16384 字节）" in zh and "不完整" not in zh
    assert "headers that are too long (at most 16384 bytes)" in en and "incomplete" not in en


def test_a_body_without_its_boundary_says_so(client, world):
    zh, en = _both(client, world, (b"x" * (multipart.MAX_HEADER_BYTES + 10),
                                   "multipart/form-data; boundary=nowhere"), status=400)
    assert "分隔符（boundary）未出现在正文的前 16384 字节中" in zh and "不完整" not in zh
    assert "first 16384 bytes do not contain" in en and "incomplete" not in en


def test_an_instance_id_over_its_limit_says_so_in_both_languages(client, world):
    body = multipart_body(build_instance_xml("plain", "1", "uuid:" + "7" * 300, {"q1": "x"}))
    zh, en = _both(client, world, body, status=400)
    assert zh == "实例编号（instanceID）过长（最多 200 个字符）。"
    assert en == "The instance ID is too long (at most 200 characters)."


def test_xml_not_in_utf8_says_so_in_both_languages(client, world):
    xml = build_instance_xml("plain", "1", "uuid:latin", {"q1": "é"}).decode("utf-8").replace(
        "encoding='UTF-8'", "encoding='ISO-8859-1'").encode("latin-1")
    zh, en = _both(client, world, multipart_body(xml), status=400)
    assert zh == "问卷数据（XML）不是 UTF-8 编码。" and en == "The form data (XML) is not in UTF-8."


# --------------------------------------------------------------------------- the database away

def test_a_database_away_is_503_with_retry_after_and_a_message_collect_shows(client, world, monkeypatch):
    from server.openrosa import auth

    def down(*_args, **_kwargs):
        raise OperationalError("SELECT ...", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(auth, "read_first", down)
    for path in ("/formList", "/submission"):
        answer = client.get(world.base + path, headers={"Accept-Language": "zh"})
        assert answer.status_code == 503 and answer.headers["Retry-After"].isdigit()
        assert message_of(answer) == ("error", "服务器暂时无法处理，请稍后重新发送。")
        assert answer.headers["X-OpenRosa-Version"] == "1.0"


def test_a_database_away_is_a_json_503_on_the_api(client, world, monkeypatch):
    from server import sessions

    def down(_session):
        raise OperationalError("SELECT ...", {}, ConnectionRefusedError("connection refused"))

    monkeypatch.setattr(sessions, "session_user", down)
    monkeypatch.setattr("server.api.auth.session_user", down)
    answer = client.get("/api/v1/evaluations")
    assert answer.status_code == 503 and answer.json["code"] == "server.unavailable"
    assert answer.headers["Retry-After"].isdigit()

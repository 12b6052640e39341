"""POST /submission semantics: create, resend, split uploads, conflicts, edits, versions, states."""
import hashlib

from server.models import Attachment, OutboxEvent, Submission
from server.infra.extensions import db
from tests.integration.openrosa.conftest import message_of, post, stored_files
from testkit.openrosa_factories import (ENCRYPTED, PLAIN, SURVEY, attachment_names, instance, publish,
                                        submissions)

PHOTO = b"\xff\xd8\xff\xe0 fake jpeg " * 100


def _photo_fields(*names):
    fields = {"household": "HH-1", "photo": "", "photo2": "", "village": "v1"}
    for key, name in zip(("photo", "photo2"), names):
        fields[key] = name
    return fields


def test_new_submission_returns_201_with_a_message(client, world):
    _, xml = instance()
    answer = post(client, world.base + "/submission?deviceID=collect:abcdefgh12345678", xml)
    assert answer.status_code == 201
    assert message_of(answer)[0] == ""
    row, = submissions()
    assert row.device_id == "collect:abcdefgh12345678"
    assert row.user_agent.startswith("org.odk.collect.android/")
    assert row.form_version_id == world.version.id and row.enumerator_id == world.enumerator.id
    assert row.xml_sha256 == hashlib.sha256(xml).hexdigest() and row.current


def test_submission_row_attachments_and_event_are_committed_together(client, world, app):
    _, xml = instance(fields=_photo_fields("a.jpg"))
    assert post(client, world.base + "/submission", xml, [("a.jpg", PHOTO)]).status_code == 201
    row, = submissions()
    attachment, = db.session.query(Attachment).all()
    assert (attachment.name, attachment.size) == ("a.jpg", len(PHOTO))
    assert attachment.sha256 == hashlib.sha256(PHOTO).hexdigest()
    with open(f"{app.config['MEDIA_ROOT']}/{attachment.path}", "rb") as stored:
        assert stored.read() == PHOTO
    event, = db.session.query(OutboxEvent).filter_by(name="submission.received").all()
    assert event.payload["submission_id"] == row.id and event.evaluation_id == world.evaluation.id


def test_identical_resend_returns_202_without_a_duplicate(client, world):
    _, xml = instance(fields=_photo_fields("a.jpg"))
    assert post(client, world.base + "/submission", xml, [("a.jpg", PHOTO)]).status_code == 201
    again = post(client, world.base + "/submission", xml, [("a.jpg", PHOTO)])
    assert again.status_code == 202 and message_of(again)[0] == ""
    assert len(submissions()) == 1 and db.session.query(Attachment).count() == 1
    assert db.session.query(OutboxEvent).filter_by(name="submission.received").count() == 1


def test_split_upload_lands_on_one_submission(client, world):
    _, xml = instance(fields=_photo_fields("a.jpg", "b.jpg"))
    first = post(client, world.base + "/submission", xml, [("a.jpg", PHOTO)], incomplete=True)
    second = post(client, world.base + "/submission", xml, [("b.jpg", PHOTO + b"2")])
    assert (first.status_code, second.status_code) == (201, 201)
    row, = submissions()
    assert attachment_names(row.id) == ["a.jpg", "b.jpg"]
    payloads = [e.payload for e in db.session.query(OutboxEvent).order_by(OutboxEvent.id)
                if e.name == "submission.received"]
    assert [p["complete"] for p in payloads] == [False, True]


def test_same_instance_id_with_other_xml_is_409(client, world):
    instance_id, xml = instance()
    assert post(client, world.base + "/submission", xml).status_code == 201
    _, changed = instance(instance_id=instance_id, fields={"household": "HH-2"})
    answer = post(client, world.base + "/submission", changed)
    assert answer.status_code == 409
    assert message_of(answer)[0] == "error" and "instanceID" in message_of(answer)[1]
    assert len(submissions()) == 1


def test_unreferenced_attachments_are_ignored_and_not_stored(client, world, app):
    _, xml = instance(fields=_photo_fields("a.jpg"))
    answer = post(client, world.base + "/submission", xml, [("a.jpg", PHOTO), ("stray.txt", b"junk")])
    assert answer.status_code == 201
    assert attachment_names(submissions()[0].id) == ["a.jpg"]
    assert len(stored_files(app)) == 1


def test_non_ascii_attachment_name_is_kept(client, world):
    name = "照片_东营子村.jpg"
    _, xml = instance(fields=_photo_fields(name))
    assert post(client, world.base + "/submission", xml, [(name, PHOTO)]).status_code == 201
    assert attachment_names(submissions()[0].id) == [name]


def test_edit_is_a_new_row_of_the_same_interview_and_carries_files(client, world):
    old_id, xml = instance(fields=_photo_fields("a.jpg", "b.jpg"))
    post(client, world.base + "/submission", xml, [("a.jpg", PHOTO), ("b.jpg", PHOTO + b"b")])
    new_id, edited = instance(fields=_photo_fields("a.jpg", "c.jpg"), deprecated_id=old_id)
    answer = post(client, world.base + "/submission", edited, [("c.jpg", PHOTO + b"c")])
    assert answer.status_code == 201
    old, new = submissions()
    assert (old.current, new.current) == (False, True)
    assert new.root_instance_id == old.instance_id == old_id and new.deprecated_id == old_id
    assert attachment_names(new.id) == ["a.jpg", "c.jpg"]  # b.jpg is no longer referenced


def test_edit_of_unknown_or_superseded_submission_is_refused(client, world):
    _, unknown = instance(deprecated_id="uuid:nope")
    assert post(client, world.base + "/submission", unknown).status_code == 404
    old_id, xml = instance()
    post(client, world.base + "/submission", xml)
    _, first_edit = instance(deprecated_id=old_id)
    assert post(client, world.base + "/submission", first_edit).status_code == 201
    _, second_edit = instance(deprecated_id=old_id)
    answer = post(client, world.base + "/submission", second_edit)
    assert answer.status_code == 409 and message_of(answer)[0] == "error"


def test_older_published_version_is_accepted_unknown_version_is_404(client, world):
    publish(world.evaluation, SURVEY, version="2")
    _, old = instance(version="1")
    assert post(client, world.base + "/submission", old).status_code == 201
    _, unknown = instance(version="99")
    answer = post(client, world.base + "/submission", unknown)
    assert answer.status_code == 404 and "99" in message_of(answer)[1]


def test_closing_form_accepts_and_closed_form_refuses(client, world):
    publish(world.evaluation, PLAIN, form_id="closing_form", state="closing")
    publish(world.evaluation, PLAIN, form_id="closed_form", state="closed")
    _, closing = instance(form_id="closing_form", fields={"q1": "x"})
    _, closed = instance(form_id="closed_form", fields={"q1": "x"})
    assert post(client, world.base + "/submission", closing).status_code == 201
    answer = post(client, world.base + "/submission", closed)
    assert answer.status_code == 409 and "closed_form" in message_of(answer)[1]


def test_encrypted_submission_is_stored_as_it_comes(client, world):
    from tests.integration.openrosa.encryption import encrypted_submission

    publish(world.evaluation, ENCRYPTED, form_id="secret", public_key=encrypted_submission.PUBLIC_KEY)
    instance_id, envelope, parts = encrypted_submission("secret", "1", {"q1": "x", "photo": "p.jpg"},
                                                        {"p.jpg": PHOTO})
    answer = post(client, world.base + "/submission", envelope, parts)
    assert answer.status_code == 201
    row, = submissions()
    assert row.encrypted and row.instance_id == instance_id and row.xml.encode() == envelope
    assert attachment_names(row.id) == sorted(name for name, _ in parts)


def test_english_message_when_asked(client, world):
    _, xml = instance(form_id="nope")
    answer = post(client, world.base + "/submission", xml, headers={"Accept-Language": "en-US,en;q=0.9"})
    assert answer.status_code == 404 and "nope" in message_of(answer)[1]
    assert message_of(answer)[1].startswith("The form")


def test_default_language_of_the_evaluation_is_used(client, world):
    _, xml = instance(form_id="nope")
    answer = post(client, world.base + "/submission", xml)
    assert "表单" in message_of(answer)[1]


def test_submission_without_instance_id_is_keyed_by_its_content(client, world):
    xml = b'<?xml version="1.0"?><data id="plain" version="1"><q1>x</q1></data>'
    assert post(client, world.base + "/submission", xml).status_code == 201
    assert post(client, world.base + "/submission", xml).status_code == 202
    row, = db.session.query(Submission).all()
    assert row.instance_id.startswith("sha256:")


def test_attachment_bytes_survive_any_chunking(client, world, app, monkeypatch):
    from server.openrosa import multipart

    monkeypatch.setattr(multipart, "CHUNK", 7)  # delimiters split across reads
    photo = bytes(range(256)) * 40 + b"\r\n--" + b"\r\n" * 3
    _, xml = instance(fields=_photo_fields("a.jpg"))
    assert post(client, world.base + "/submission", xml, [("a.jpg", photo)]).status_code == 201
    attachment, = db.session.query(Attachment).all()
    with open(f"{app.config['MEDIA_ROOT']}/{attachment.path}", "rb") as stored:
        assert stored.read() == photo
    assert submissions()[0].xml.encode() == xml

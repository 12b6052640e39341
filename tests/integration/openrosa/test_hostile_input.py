"""Hostile submissions get a 4xx with an OpenRosa message and leave no rows and no files."""
import pytest

from server.infra.extensions import db
from server.models import Attachment, OutboxEvent, Submission
from tests.integration.openrosa.conftest import message_of, multipart, post, stored_files
from testkit.openrosa_factories import instance

PHOTO = b"\xff\xd8 fake jpeg" * 1000
BOMB = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        b'<data id="household" version="1"><household>&lol3;</household>'
        b'<meta><instanceID>uuid:bomb</instanceID></meta></data>')
XXE = (b'<?xml version="1.0"?><!DOCTYPE data [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<data id="household" version="1"><household>&xxe;</household>'
       b'<meta><instanceID>uuid:xxe</instanceID></meta></data>')


def assert_nothing_left(app):
    assert db.session.query(Submission).count() == 0
    assert db.session.query(Attachment).count() == 0
    assert db.session.query(OutboxEvent).filter_by(name="submission.received").count() == 0
    assert stored_files(app) == []


def _xml_with_photo():
    return instance(fields={"household": "HH", "photo": "a.jpg"})[1]


@pytest.mark.parametrize("xml, status", [
    (b"<data id='household'><unclosed></data>", 400),
    (BOMB, 400),
    (XXE, 400),
    (b'<?xml version="1.0"?><data version="1"><meta><instanceID>uuid:1</instanceID></meta></data>', 400),
    (instance(form_id="no_such_form")[1], 404),
], ids=["malformed", "entity-bomb", "xxe", "no-form-id", "unknown-form"])
def test_bad_xml_is_refused_and_nothing_is_kept(client, world, app, xml, status):
    answer = post(client, world.base + "/submission", xml, [("a.jpg", PHOTO)])
    assert answer.status_code == status
    nature, text = message_of(answer)
    assert nature == "error" and text
    assert_nothing_left(app)


def test_missing_xml_submission_file_is_400(client, world, app):
    body, ctype = multipart(b"<x/>")
    body = body.replace(b'name="xml_submission_file"', b'name="something_else"')
    answer = client.post(world.base + "/submission", data=body, content_type=ctype)
    assert answer.status_code == 400 and "xml_submission_file" in message_of(answer)[1]
    assert_nothing_left(app)


def test_not_multipart_is_400(client, world, app):
    answer = client.post(world.base + "/submission", data=b"<data/>", content_type="text/xml")
    assert answer.status_code == 400 and message_of(answer)[0] == "error"


def test_body_over_the_limit_is_413_and_the_limit_exceeds_what_is_advertised(client, world, app):
    assert app.config["MAX_CONTENT_LENGTH"] > app.config["OPENROSA_ACCEPT_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    answer = post(client, world.base + "/submission", _xml_with_photo(), [("a.jpg", PHOTO * 10)])
    assert answer.status_code == 413 and message_of(answer)[0] == "error"
    assert_nothing_left(app)


def test_truncated_multipart_body_is_400(client, world, app):
    body, ctype = multipart(_xml_with_photo(), [("a.jpg", PHOTO)])
    answer = client.post(world.base + "/submission", data=body[:-2000], content_type=ctype)
    assert answer.status_code == 400 and message_of(answer)[0] == "error"
    assert_nothing_left(app)


@pytest.mark.parametrize("name", ["../../evil.jpg", "..\\..\\evil.jpg", "/etc/cron.d/x", ".."])
def test_path_traversal_attachment_name_is_refused(client, world, app, name):
    xml = instance(fields={"household": "HH", "photo": name})[1]
    answer = post(client, world.base + "/submission", xml, [(name, PHOTO)])
    assert answer.status_code == 400 and message_of(answer)[0] == "error"
    assert_nothing_left(app)
    media_parent = app.config["MEDIA_ROOT"].rsplit("/", 1)[0]
    import os
    assert not os.path.exists(os.path.join(media_parent, "evil.jpg"))


def test_huge_field_part_is_refused(client, world, app):
    body, ctype = multipart(_xml_with_photo())
    extra = b"--" + ctype.split("boundary=")[1].encode()
    filler = extra + b'\r\nContent-Disposition: form-data; name="note"\r\n\r\n' + b"x" * 10_000 + b"\r\n"
    answer = client.post(world.base + "/submission", data=filler + body, content_type=ctype)
    assert answer.status_code == 413
    assert_nothing_left(app)

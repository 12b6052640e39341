"""Hostile input and retry storms against a live server: 4xx with an OpenRosa message, no rows and
no files left behind; concurrent identical posts end with exactly one submission."""
import os
import socket
import threading
import time
import uuid
from urllib.parse import urlsplit

import pytest

from server.infra.extensions import db
from server.models import Attachment, Submission
from testkit.collect_client import CollectClient
from testkit.collect_parse import parse_openrosa_message
from testkit.collect_wire import MultipartBody, build_instance_xml
from tests.integration.openrosa.conftest import stored_files
from tests.integration.openrosa.test_hostile_input import BOMB, XXE
from testkit.openrosa_factories import MEDIA, SURVEY, publish, setup_evaluation

pytestmark = pytest.mark.e2e
PHOTO = os.urandom(200_000)


@pytest.fixture
def server_url(live_server, app):
    app.config["PUBLIC_URL"] = live_server
    evaluation, _, token = setup_evaluation()
    publish(evaluation, SURVEY, media=MEDIA)
    return f"{live_server}/key/{token}/{evaluation.code}"


def _instance(photo="a.jpg", instance_id=None):
    fields = {"household": "HH", "photo": photo, "photo2": "", "village": "v1"}
    return build_instance_xml("household", "1", instance_id or f"uuid:{uuid.uuid4()}", fields)


def _nothing_left(app):
    db.session.rollback()
    assert db.session.query(Submission).count() == 0 and db.session.query(Attachment).count() == 0
    assert stored_files(app) == []


def _body(xml, files=(("a.jpg", PHOTO),), xml_field="xml_submission_file"):
    body = MultipartBody()
    body.add(xml_field, xml, filename="instance.xml", content_type="text/xml")
    for name, data in files:
        body.add(name, data, filename=name, content_type="image/jpeg")
    return body.finish()


@pytest.mark.parametrize("case", ["malformed", "bomb", "xxe", "missing-xml", "unknown-form", "traversal",
                                  "too-large", "truncated"])
def test_hostile_submission_leaves_nothing(server_url, app, case):
    client = CollectClient(server_url)
    url = server_url + "/submission"
    bodies = {
        "malformed": lambda: _body(b"<data id='household'><open></data>"),
        "bomb": lambda: _body(BOMB),
        "xxe": lambda: _body(XXE),
        "missing-xml": lambda: _body(_instance(), xml_field="not_the_xml"),
        "unknown-form": lambda: _body(_instance().replace(b'id="household"', b'id="nope"')),
        "traversal": lambda: _body(_instance("../../../escape.jpg"), [("../../../escape.jpg", PHOTO)]),
        "too-large": lambda: _body(_instance(), [("a.jpg", PHOTO * 6)]),
    }
    if case == "truncated":
        _send_truncated(url, _body(_instance()))
        time.sleep(0.5)  # the server notices the disconnect and cleans up
        _nothing_left(app)
        return
    if case == "too-large":
        app.config["MAX_CONTENT_LENGTH"] = 1_000_000
    answer = client.request("POST", url, bodies[case]())
    assert 400 <= answer.status_code < 500 and parse_openrosa_message(answer.content)
    _nothing_left(app)
    assert not os.path.exists(os.path.join(os.path.dirname(app.config["MEDIA_ROOT"]), "escape.jpg"))


def _send_truncated(url, body):
    """Announce the whole body, send half of it, hang up (a phone losing its network)."""
    data = body.reader().read()
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as sock:
        head = (f"POST {parts.path} HTTP/1.1\r\nHost: {parts.netloc}\r\nX-OpenRosa-Version: 1.0\r\n"
                f"Content-Type: {body.content_type}\r\nContent-Length: {len(data)}\r\n\r\n")
        sock.sendall(head.encode() + data[: len(data) // 2])


def test_concurrent_identical_posts_end_with_one_submission(server_url, app):
    xml = _instance()
    barrier = threading.Barrier(8)
    statuses = []

    def post():
        client = CollectClient(server_url)
        barrier.wait()
        statuses.append(client.request("POST", server_url + "/submission", _body(xml)).status_code)

    threads = [threading.Thread(target=post) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(statuses) == [201] + [202] * 7
    db.session.rollback()
    row, = db.session.query(Submission).all()
    assert [a.name for a in db.session.query(Attachment).filter_by(submission_id=row.id)] == ["a.jpg"]
    assert len(stored_files(app)) == 1

"""Attachment downloads, through the API (session or read token) and the dashboard: streamed with its type,
its original name (RFC 6266), an ETag from its sha256 and Range support; 404 across evaluations, 410 when
the file left the media store."""
import hashlib
import logging
import os

from server.accounts import api_tokens
from server.infra.extensions import db
from server.models import Attachment, Submission
from testkit.dashboard_world import build_world
from tests.integration.dashboard.helpers import sign_in


def _api_url(world, name="house.jpg"):
    return f"/api/v1/evaluations/county1/submissions/{world['flagged']}/attachments/{name}"


def _reader(world, evaluation=None):
    _, token = api_tokens.create_token(evaluation or world["evaluation"], "dashboard", "read", actor="test")
    db.session.commit()
    return {"Authorization": f"Bearer {token}"}


def test_api_streams_the_file_with_type_name_etag_and_ranges(app, client):
    world = build_world(app)
    headers = _reader(world)
    answer = client.get(_api_url(world), headers=headers)
    assert answer.status_code == 200 and answer.data == world["photo"]
    assert answer.headers["Content-Type"] == "image/jpeg"
    assert answer.headers["Content-Disposition"].startswith("attachment;") and "house.jpg" in \
        answer.headers["Content-Disposition"]
    assert answer.headers["ETag"].strip('"') == hashlib.sha256(world["photo"]).hexdigest()
    assert client.get(_api_url(world), headers={**headers, "If-None-Match": answer.headers["ETag"]}) \
        .status_code == 304
    part = client.get(_api_url(world), headers={**headers, "Range": "bytes=2-9"})
    assert part.status_code == 206 and part.data == world["photo"][2:10]
    assert part.headers["Content-Range"] == f"bytes 2-9/{len(world['photo'])}"


def test_a_chinese_file_name_is_sent_as_rfc_6266_filename_star(app, client):
    world = build_world(app)
    row = db.session.query(Attachment).join(Submission).filter(
        Submission.instance_id == world["flagged"], Attachment.name == "sign.jpg").one()
    row.name = "门牌照片.jpg"
    db.session.commit()
    answer = client.get(_api_url(world, "门牌照片.jpg"), headers=_reader(world))
    assert answer.status_code == 200
    star = "filename*=UTF-8''%E9%97%A8%E7%89%8C%E7%85%A7%E7%89%87.jpg"
    assert star in answer.headers["Content-Disposition"]


def test_another_evaluation_gets_404_and_an_unknown_name_404(app, client):
    world = build_world(app)
    other = client.get(_api_url(world), headers=_reader(world, world["other"]))
    assert other.status_code == 404 and other.get_json()["code"] == "evaluation.not_found"
    foreign = client.get(f"/api/v1/evaluations/other/submissions/{world['flagged']}/attachments/house.jpg",
                         headers=_reader(world, world["other"]))
    assert foreign.status_code == 404 and foreign.get_json()["code"] == "attachment.not_found"
    missing = client.get(_api_url(world, "nope.jpg"), headers=_reader(world))
    assert missing.status_code == 404 and missing.get_json()["code"] == "attachment.not_found"
    assert client.get(_api_url(world)).status_code == 401


def test_a_file_missing_on_disk_is_a_logged_410(app, client, caplog):
    # The test run's migration (alembic's fileConfig) disables loggers that existed before it.
    logging.getLogger("server.submissions.attachments").disabled = False
    world = build_world(app)
    row = db.session.query(Attachment).join(Submission).filter(Submission.instance_id == world["flagged"],
                                                               Attachment.name == "house.jpg").one()
    os.unlink(os.path.join(app.config["MEDIA_ROOT"], row.path))
    answer = client.get(_api_url(world), headers=_reader(world))
    assert answer.status_code == 410 and answer.get_json()["code"] == "attachment.gone"
    assert any("missing from the media store" in r.getMessage() for r in caplog.records)
    sign_in(client, "sup1")
    page = client.get(f"/dashboard/county1/interviews/{world['flagged']}/attachments/house.jpg")
    assert page.status_code == 410 and "text/html" in page.headers["Content-Type"]
    assert "Traceback" not in page.get_data(as_text=True)


def test_the_api_accepts_a_signed_in_session_and_the_dashboard_serves_photos_inline(app, client):
    world = build_world(app)
    sign_in(client, "sup1")
    assert client.get(_api_url(world)).status_code == 200
    page = client.get(f"/dashboard/county1/interviews/{world['flagged']}/attachments/house.jpg")
    assert page.status_code == 200 and page.data == world["photo"]
    assert page.headers["Content-Disposition"].startswith("inline")


def test_a_html_attachment_is_never_shown_inline(app, client):
    world = build_world(app)
    row = db.session.query(Attachment).join(Submission).filter(Submission.instance_id == world["flagged"],
                                                               Attachment.name == "inside.jpg").one()
    row.content_type = "text/html"
    db.session.commit()
    sign_in(client, "sup1")
    page = client.get(f"/dashboard/county1/interviews/{world['flagged']}/attachments/inside.jpg")
    assert page.headers["Content-Type"] == "application/octet-stream"
    assert page.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in page.headers["Content-Security-Policy"]

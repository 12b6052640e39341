"""Forms through the API and the worker: upload, convert off the request path, publish, media, states."""
import hashlib
import io

import pytest
from rq import SimpleWorker

from server.infra.extensions import db, rq
from server.models import Form, FormVersion, JobRecord
from testkit.factories import make_evaluation, make_user

PASSWORD = "correct horse battery"

MEDIA_FORM = """| survey |
| | type | name | label | media::image |
| | text | q1 | Question 1 | logo.png |
| | select_one_from_file villages.csv | v | Village | |
| settings |
| | form_id | version |
| | media_form | {version} |
"""

NO_VERSION_FORM = """| survey |
| | type | name | label |
| | text | {name} | Question |
| settings |
| | form_id |
| | plain_form |
"""


@pytest.fixture
def supervisor(client, app):
    evaluation = make_evaluation("county1")
    make_user("sup", "supervisor", evaluation)
    answer = client.post("/api/v1/session", json={"username": "sup", "password": PASSWORD})
    return {"X-CSRF-Token": answer.json["csrf_token"]}


def upload(client, headers, text, filename="form.md", publish="yes", code="county1"):
    data = {"file": (io.BytesIO(text.encode("utf-8")), filename), "publish": publish}
    return client.post(f"/api/v1/evaluations/{code}/forms", data=data, headers=headers,
                       content_type="multipart/form-data")


def run_worker():
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)


def converted(client, answer):
    """Run the worker, then read the job the upload answered with."""
    assert answer.status_code == 202, answer.json
    run_worker()
    return client.get(answer.json["status_url"]).json


PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 100
CSV = "name,label\nv1,东营子村\n".encode()


def media_url(version_id):
    return f"/api/v1/evaluations/county1/forms/media_form/versions/{version_id}/media"


def publish_url(version_id):
    return f"/api/v1/evaluations/county1/forms/media_form/versions/{version_id}/publish"


def send_media(client, headers, version_id, files, lang="en"):
    data = {name: (io.BytesIO(body), name) for name, body in files.items()}
    return client.post(media_url(version_id), data=data, content_type="multipart/form-data",
                       headers={**headers, "Accept-Language": lang})


def published(client, headers, text):
    """Upload a draft, send both files it references, publish it; returns the publish answer."""
    job = converted(client, upload(client, headers, text, publish="no"))
    version_id = job["result"]["version_id"]
    assert send_media(client, headers, version_id, {"logo.png": PNG, "villages.csv": CSV}).status_code == 200
    answer = client.post(publish_url(version_id), headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json


def test_upload_answers_at_once_and_a_worker_converts_but_publishes_only_with_its_media(client, supervisor):
    answer = upload(client, supervisor, MEDIA_FORM.format(version="1"))
    assert answer.json["job"]["state"] == "queued"
    assert db.session.query(Form).count() == 0  # nothing converted on the request path
    job = converted(client, answer)
    assert job["state"] == "failed" and job["progress"] == 100
    assert job["result"]["code"] == "form.media_missing" and job["result"]["published"] is False
    assert job["result"]["missing_media"] == ["logo.png", "villages.csv"]
    assert [d["filename"] for d in job["result"]["details"]] == ["logo.png", "villages.csv"]
    assert "logo.png, villages.csv" in job["error"]
    draft = db.session.get(FormVersion, job["result"]["version_id"])
    assert draft is not None and draft.published_at is None  # kept: send the files, then publish


def test_the_form_reports_its_contract_and_languages(client, supervisor):
    published(client, supervisor, MEDIA_FORM.format(version="1"))
    form = client.get("/api/v1/evaluations/county1/forms/media_form").json
    current = form["current_version"]
    assert form["state"] == "open" and current["version"] == "1"
    checks = current["contract"]["checks"]
    assert checks["recusal.present_official"]["supported"] is False
    assert any("present" in reason for reason in checks["recusal.present_official"]["reasons"])


def test_media_upload_fills_what_is_missing(client, supervisor):
    job = converted(client, upload(client, supervisor, MEDIA_FORM.format(version="1"), publish="no"))
    version_id = job["result"]["version_id"]
    answer = send_media(client, supervisor, version_id, {"logo.png": PNG})
    assert answer.status_code == 200
    assert answer.json["missing_media"] == ["villages.csv"]
    assert answer.json["media"][0]["md5"] == hashlib.md5(PNG).hexdigest()
    status = answer.json["media_status"]
    assert [(e["filename"], e["kind"], e["via"], e["status"]) for e in status["expected"]] == [
        ("logo.png", "image", "label", "present"), ("villages.csv", "file", "instance", "missing")]
    assert status["missing"] == ["villages.csv"] and status["unreferenced"] == []

    refused = client.post(publish_url(version_id),
                          headers={**supervisor, "Accept-Language": "zh-Hans"})
    assert refused.status_code == 422 and refused.json["code"] == "form.media_missing"
    assert "villages.csv" in refused.json["message"] and "不能发布" in refused.json["message"]

    stray = send_media(client, supervisor, version_id, {"other.png": PNG}, lang="zh-CN")
    assert stray.status_code == 200 and stray.json["media_status"]["unreferenced"] == ["other.png"]
    assert "other.png" in stray.json["media_status"]["warnings"][0] and "未被问卷引用" in \
        stray.json["media_status"]["warnings"][0]

    # The form's own spelling wins: Collect looks the file up by the name the form writes.
    fixed = send_media(client, supervisor, version_id, {"Villages.CSV": CSV})
    assert fixed.json["missing_media"] == []
    assert "villages.csv" in [m["filename"] for m in fixed.json["media"]]
    done = client.post(publish_url(version_id), headers=supervisor)
    assert done.status_code == 200 and done.json["published_at"]


def test_changed_content_under_a_published_version_is_refused(client, supervisor):
    published(client, supervisor, MEDIA_FORM.format(version="1"))
    changed = MEDIA_FORM.format(version="1").replace("Question 1", "Question one")
    job = converted(client, upload(client, supervisor, changed))
    assert job["state"] == "failed" and job["result"]["code"] == "form.version_exists"
    versions = db.session.query(FormVersion).all()
    assert [v.version for v in versions] == ["1"]  # nothing half-created


def test_the_same_form_twice_is_one_version_and_a_new_version_is_another(client, supervisor):
    published(client, supervisor, MEDIA_FORM.format(version="1"))
    converted(client, upload(client, supervisor, MEDIA_FORM.format(version="1")))
    converted(client, upload(client, supervisor, MEDIA_FORM.format(version="2")))
    form = client.get("/api/v1/evaluations/county1/forms/media_form").json
    assert [v["version"] for v in form["versions"]] == ["1", "2"]
    assert form["current_version"]["version"] == "2"


def test_a_form_without_version_is_stamped_and_restamped_only_when_it_changes(client, supervisor):
    first = converted(client, upload(client, supervisor, NO_VERSION_FORM.format(name="q1")))["result"]
    again = converted(client, upload(client, supervisor, NO_VERSION_FORM.format(name="q1")))["result"]
    changed = converted(client, upload(client, supervisor, NO_VERSION_FORM.format(name="q2")))["result"]
    assert first["version"] and first["version"] == again["version"]
    assert changed["version"] != first["version"]
    xml = db.session.get(FormVersion, first["version_id"]).xml
    assert f'version="{first["version"]}"' in xml


def test_a_draft_is_not_current_until_published(client, supervisor):
    job = converted(client, upload(client, supervisor, MEDIA_FORM.format(version="1"), publish="no"))
    assert job["result"]["published"] is False
    form = client.get("/api/v1/evaluations/county1/forms/media_form").json
    assert form["current_version"] is None
    send_media(client, supervisor, job["result"]["version_id"], {"logo.png": PNG, "villages.csv": CSV})
    url = f"/api/v1/evaluations/county1/forms/media_form/versions/{job['result']['version_id']}/publish"
    assert client.post(url, headers=supervisor).json["published_at"]


@pytest.mark.parametrize("state", ["closing", "closed", "open"])
def test_states(client, supervisor, state):
    published(client, supervisor, MEDIA_FORM.format(version="1"))
    answer = client.patch("/api/v1/evaluations/county1/forms/media_form", json={"state": state},
                          headers=supervisor)
    assert answer.status_code == 200 and answer.json["state"] == state


def test_a_broken_form_fails_its_job_with_located_errors_and_creates_nothing(client, supervisor):
    broken = "| survey |\n| | type | name | label |\n| | text | q1 | A |\n| | text | q1 | B |\n"
    job = converted(client, upload(client, supervisor, broken))
    assert job["state"] == "failed"
    assert any(d["row"] for d in job["result"]["details"])
    assert db.session.query(Form).count() == 0 and db.session.query(FormVersion).count() == 0


def test_an_oversized_upload_is_refused_before_any_job(client, supervisor):
    big = io.BytesIO(b"0" * (50 * 2**20 + 1))
    answer = client.post("/api/v1/evaluations/county1/forms", data={"file": (big, "big.xlsx")},
                         headers=supervisor, content_type="multipart/form-data")
    assert answer.status_code == 413 and db.session.query(JobRecord).count() == 0


def test_a_viewer_cannot_upload(client, app):
    evaluation = make_evaluation("county1")
    make_user("view", "viewer", evaluation)
    headers = {"X-CSRF-Token": client.post("/api/v1/session", json={"username": "view", "password": PASSWORD})
               .json["csrf_token"]}
    assert upload(client, headers, MEDIA_FORM.format(version="1")).status_code == 403

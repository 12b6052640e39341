"""Operating the pipeline through the API and the CLI: failures, retries, re-checks, worker health."""
import hashlib

import pytest
from rq import SimpleWorker

from server.questionnaires import forms_service
from server.pipeline import outbox
from server.infra.extensions import db, rq
from server.models import OutboxEvent, Submission
from testkit.factories import make_evaluation, make_user

PASSWORD = "correct horse battery"
FORM = ("| survey |\n| | type | name | label |\n| | integer | n | N |\n"
        "| settings |\n| | form_id | version |\n| | f | 1 |\n")


def _submission(evaluation, version, n, xml=None):
    xml = xml or f'<data id="f" version="1"><n>{n}</n><meta><instanceID>uuid:{n}</instanceID></meta></data>'
    row = Submission(evaluation_id=evaluation.id, form_version_id=version.id, instance_id=f"uuid:{n}",
                     root_instance_id=f"uuid:{n}", xml=xml,
                     xml_sha256=hashlib.sha256(xml.encode()).hexdigest())
    db.session.add(row)
    db.session.flush()
    outbox.emit("submission.received", {"submission_id": row.id}, evaluation.id)
    return row


def _work():
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)


@pytest.fixture
def setup(app, client):
    evaluation = make_evaluation("county1")
    version = forms_service.publish_form(evaluation, FORM.encode(), "f.md", actor="test")
    make_user("boss", "admin", evaluation)
    make_user("root", "admin", None)
    good = [_submission(evaluation, version, n) for n in range(3)]
    bad = _submission(evaluation, version, 99, xml="<data id='f'><n>1</n")
    db.session.commit()
    _work()
    headers = {"X-CSRF-Token": client.post("/api/v1/session", json={"username": "boss", "password": PASSWORD})
               .json["csrf_token"]}
    return evaluation, good, bad, headers


def test_the_parsed_answers_are_typed(setup):
    _, good, _, _ = setup
    db.session.expire_all()
    row = db.session.get(Submission, good[1].id)
    assert row.answers["data"]["n"] == 1 and row.processing == "processed" and row.pipeline_runs == 1


def test_a_failure_is_listed_with_its_reason_and_can_be_retried(client, setup):
    _, _, bad, headers = setup
    failed = client.get("/api/v1/evaluations/county1/events/failed").json
    assert [e["payload"]["submission_id"] for e in failed] == [bad.id]
    assert "cannot be parsed" in failed[0]["last_error"]
    assert db.session.get(Submission, bad.id).processing == "failed"
    answer = client.post(f"/api/v1/evaluations/county1/events/{failed[0]['id']}/retry", headers=headers)
    assert answer.status_code == 200 and answer.json["state"] == "pending"
    again = client.post(f"/api/v1/evaluations/county1/events/{failed[0]['id']}/retry", headers=headers)
    assert again.status_code == 409 and again.json["code"] == "event.not_failed"


def test_recheck_runs_the_pipeline_again_for_every_current_submission(client, setup):
    _, good, _, headers = setup
    answer = client.post("/api/v1/evaluations/county1/recheck", headers=headers)
    assert answer.status_code == 202 and answer.json["submissions"] == 4
    _work()
    db.session.expire_all()
    assert [db.session.get(Submission, s.id).pipeline_runs for s in good] == [2, 2, 2]
    assert db.session.query(OutboxEvent).filter_by(name="submission.recheck", state="done").count() == 3


def test_worker_status_is_for_site_admins(client, setup):
    assert client.get("/api/v1/workers").status_code == 403
    client.post("/api/v1/session", json={"username": "root", "password": PASSWORD})
    status = client.get("/api/v1/workers").json
    assert status["queues"]["submissions"] == 0 and "failed" in status["outbox"]["submissions"]


def test_the_cli_shows_failures_and_retries(runner, setup):
    _, _, bad, _ = setup
    listing = runner.invoke(args=["pipeline", "failures", "county1"]).output
    event_id = listing.split("\t")[0]
    assert f"'submission_id': {bad.id}" in listing
    assert "will be retried" in runner.invoke(args=["pipeline", "retry", "county1", event_id]).output
    assert "queue submissions" in runner.invoke(args=["pipeline", "status"]).output


def test_a_recheck_is_a_job_whose_progress_counts_its_submissions(client, setup, runner):
    _, good, bad, headers = setup
    answer = client.post("/api/v1/evaluations/county1/recheck", headers=headers)
    assert answer.status_code == 202 and answer.headers["Location"] == answer.json["status_url"]
    waiting = client.get(answer.json["status_url"], headers=headers)
    assert waiting.json["state"] == "running" and (waiting.json["done"], waiting.json["total"]) == (0, 4)
    assert waiting.headers["Retry-After"] == "2"  # poll gently
    _work()
    finished = client.get(answer.json["status_url"], headers=headers)
    # three submissions re-checked, the unreadable one failed again: the job says so and ends
    assert (finished.json["done"], finished.json["total"], finished.json["progress"]) == (4, 4, 100)
    assert finished.json["state"] == "failed" and "1 failed" in finished.json["message"]
    assert "Retry-After" not in finished.headers
    other = client.post("/api/v1/evaluations/county1/recheck", headers=headers).json
    assert other["job"]["id"] != answer.json["job"]["id"] and other["job"]["done"] == 0  # counted apart
    cli = runner.invoke(args=["pipeline", "recheck", "county1"])
    assert cli.exit_code == 0 and "4 submission(s) queued" in cli.output and "(job " in cli.output


def test_following_a_job_prints_plain_lines_off_a_terminal(app, capsys):
    from server.cli import progress

    views = iter([{"state": "running", "done": d, "total": 4, "progress": d * 25, "message": f"{d} of 4 done"}
                  for d in (0, 2)] + [{"state": "done", "done": 4, "total": 4, "progress": 100,
                                       "message": "4 of 4 done"}])
    last = progress.follow(lambda: next(views), "re-checking", poll=0, is_tty=False)
    lines = capsys.readouterr().out.splitlines()
    assert last["state"] == "done" and lines[0] == "re-checking: 0 of 4 done (0%)"
    assert lines[-1] == "re-checking: 4 of 4 done (100%)"

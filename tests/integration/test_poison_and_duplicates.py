"""Bad data fails at once and says why; a duplicate event is acknowledged without running again.
Interviews come in through the OpenRosa endpoint, the worker drains the real queue, the API reads."""
import uuid

import pytest
from rq import SimpleWorker
from sqlalchemy.exc import DataError

from server.pipeline import outbox
from server.infra.errors import Problem
from server.infra.extensions import db, rq
from server.models import Evaluation, OutboxEvent, Submission
from testkit.collect_wire import build_instance_xml
from testkit.factories import make_user
from tests.integration.openrosa.conftest import post
from testkit.openrosa_factories import publish, setup_evaluation
from worker.drain import is_permanent

FORM = """| survey |
| | type | name | label |
| | decimal | income | 收入 Income |
| | integer | members | 人口 Members |
| | date | visited | 日期 Date |
| | image | photo | 照片 Photo |
| | geopoint | where | 位置 Location |
| settings |
| | form_id | version |
| | {form_id} | {version} |
"""


@pytest.fixture
def county(app, client):
    evaluation, _, token = setup_evaluation()
    publish(evaluation, FORM, form_id="income")
    make_user("sup1", "supervisor", evaluation)
    client.post("/api/v1/session", json={"username": "sup1", "password": "correct horse battery"})
    return f"/key/{token}/{evaluation.code}"


def send(client, base, files=(), instance_id=None, **answers):
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    values = {"income": "1200.5", "members": "4", "visited": "2026-11-30", "photo": "",
              "where": "47.18 119.95 1200.0 8.0", **answers}
    xml = build_instance_xml("income", "1", instance_id, values)
    response = post(client, base + "/submission", xml, files)
    assert response.status_code in (201, 202), response.data
    return instance_id, xml


def work():
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)


def submission(instance_id):
    db.session.expire_all()
    return db.session.query(Submission).filter_by(instance_id=instance_id).one()


def events_of(row):
    db.session.expire_all()
    return [e for e in db.session.query(OutboxEvent).order_by(OutboxEvent.id)
            if e.payload.get("submission_id") == row.id]


@pytest.mark.parametrize("field, text", [("income", "NaN"), ("income", "Infinity"), ("income", "1e400"),
                                         ("members", "99999999999"), ("visited", "2026-02-30"),
                                         ("where", "47.18 190.0 1200.0 8.0")])
def test_a_poison_answer_fails_at_its_first_attempt_with_a_problem_in_the_api(client, county, field, text):
    good, _ = send(client, county)
    bad, _ = send(client, county, **{field: text})
    work()
    row = submission(bad)
    [event] = events_of(row)
    assert (event.state, event.attempts, event.next_attempt_at) == ("failed", 1, None)
    assert row.processing == "failed" and row.answers is None
    shown = client.get(f"/api/v1/evaluations/county1/submissions/{bad}").json
    assert shown["processing"] == "failed"
    assert shown["problem"]["code"] == "submission.invalid_answer"
    assert shown["problem"]["details"][0]["path"] == f"/data/{field}"
    assert shown["problem"]["details"][0]["value"] == text
    listed = client.get("/api/v1/evaluations/county1/submissions").json["items"]
    assert {i["instance_id"]: i["problem"] is not None for i in listed} == {good: False, bad: True}
    assert submission(good).processing == "processed"  # its neighbour in the batch is unharmed
    page = client.get(f"/dashboard/county1/interviews/{bad}")  # the supervisor's own view of it
    problem = page.get_data(as_text=True).split('id="processing-problem"')[1].split("</div>")[0]
    assert "这份访谈无法处理" in problem and f"<td>/data/{field}</td>" in problem and f"<td>{text}</td>" in problem
    assert 'id="processing-problem"' not in client.get(f"/dashboard/county1/interviews/{good}").get_data(
        as_text=True)


def test_errors_of_the_data_are_never_transient():
    assert is_permanent(DataError("INSERT ...", {}, Exception("invalid input syntax for type json")))
    assert is_permanent(Problem("submission.invalid_answer", "bad", 422))
    assert not is_permanent(Problem("server.unavailable", "later", 503))
    assert not is_permanent(ConnectionError("database restarting"))


def test_a_copy_of_a_done_event_is_acknowledged_without_running_again(client, county):
    instance_id, _ = send(client, county)
    work()
    row = submission(instance_id)
    assert row.pipeline_runs == 1
    [done] = events_of(row)
    outbox.emit(done.name, dict(done.payload), done.evaluation_id)  # the producer sent it twice
    db.session.commit()
    work()
    assert submission(instance_id).pipeline_runs == 1
    assert [e.state for e in events_of(row)] == ["done", "done"]


def test_a_redelivered_event_is_acknowledged_and_twins_in_one_batch_run_once(client, county):
    instance_id, _ = send(client, county)
    row = submission(instance_id)
    [first] = events_of(row)
    outbox.emit(first.name, dict(first.payload), first.evaluation_id)  # twins, drained together
    db.session.commit()
    work()
    assert submission(instance_id).pipeline_runs == 1
    event = db.session.get(OutboxEvent, first.id)
    event.state, event.processed_at = "pending", None  # delivered once more
    db.session.commit()
    outbox.wake(["submissions"], force=True)
    work()
    assert submission(instance_id).pipeline_runs == 1
    assert [e.state for e in events_of(row)] == ["done", "done"]


def test_new_files_or_a_recheck_do_run_again(client, app, county):
    instance_id, xml = send(client, county, photo="p.jpg")
    work()
    assert submission(instance_id).pipeline_runs == 1
    response = post(client, county + "/submission", xml, [("p.jpg", b"\xff\xd8 a photo")])
    assert response.status_code == 201  # the resend that brings the photo
    work()
    row = submission(instance_id)
    assert row.pipeline_runs == 2 and row.answers["attachments"][0]["present"] is True
    admin = app.test_client()
    make_user("boss", "admin", db.session.get(Evaluation, row.evaluation_id))
    headers = {"X-CSRF-Token": admin.post("/api/v1/session", json={
        "username": "boss", "password": "correct horse battery"}).json["csrf_token"]}
    assert admin.post("/api/v1/evaluations/county1/recheck", headers=headers).status_code == 202
    work()
    assert submission(instance_id).pipeline_runs == 3

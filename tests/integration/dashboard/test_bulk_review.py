"""Bulk review from the interview table: a selection or everything a filter matches, run by the worker as
a job with progress, each interview decided and audited on its own."""
import re

from server.infra.extensions import db
from server.models import AuditEntry, JobRecord, ReviewDecision, Submission
from testkit.dashboard_world import build_world
from testkit.figures_factories import run_worker
from tests.integration.dashboard.helpers import csrf, sign_in


def _status(instance_id):
    db.session.expire_all()
    return db.session.query(Submission).filter_by(instance_id=instance_id).one().review_status


def test_a_selection_is_decided_one_by_one_by_the_worker(app, client):
    world = build_world(app)
    sign_in(client, "sup1")
    page = client.get("/dashboard/county1/interviews")
    answer = client.post("/dashboard/county1/interviews/bulk", data={
        "csrf_token": csrf(page), "scope": "selected", "instance_id": [world["flagged"], world["clean"]],
        "action": "clear", "reason": "村干部电话核实，情况属实"})
    assert answer.status_code == 302 and "/dashboard/county1/jobs/" in answer.headers["Location"]
    job_url = answer.headers["Location"]
    waiting = client.get(job_url).get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting and "排队中" in waiting
    run_worker()
    done = client.get(job_url).get_data(as_text=True)
    assert re.search(r"共 2 份访谈，已决定 2 份", done) and 'http-equiv="refresh"' not in done
    assert _status(world["flagged"]) == "cleared" and _status(world["clean"]) == "clean"
    entries = db.session.query(AuditEntry).filter(AuditEntry.action == "submission.review.clear").all()
    assert sorted(e.target for e in entries) == sorted(f"submission:{i}" for i in (world["flagged"],
                                                                                   world["clean"]))
    assert all(e.actor == "user:sup1" and e.details["reason"] == "村干部电话核实，情况属实" for e in entries)
    assert db.session.query(ReviewDecision).count() == 2


def test_everything_a_filter_matches(app, client):
    world = build_world(app)
    sign_in(client, "sup1")
    page = client.get("/dashboard/county1/interviews?status=review")
    answer = client.post("/dashboard/county1/interviews/bulk", data={
        "csrf_token": csrf(page), "scope": "filter", "status": "review", "action": "revisit",
        "reason": "定位偏离住址，请重新入户"})
    assert answer.status_code == 302
    run_worker()
    job = db.session.query(JobRecord).one()
    assert job.state == "done" and job.result["total"] == 1 and job.result["done"] == 1
    revisits = db.session.query(AuditEntry).filter_by(action="submission.revisit").all()
    assert [e.target for e in revisits] == [f"submission:{world['flagged']}"]


def test_a_bad_bulk_request_queues_nothing(app, client):
    build_world(app)
    sign_in(client, "sup1")
    page = client.get("/dashboard/county1/interviews")
    short = client.post("/dashboard/county1/interviews/bulk", data={
        "csrf_token": csrf(page), "scope": "selected", "instance_id": ["x"], "action": "clear",
        "reason": "ok"},
        follow_redirects=True)
    assert "至少 10 个字" in short.get_data(as_text=True)
    empty = client.post("/dashboard/county1/interviews/bulk", data={
        "csrf_token": csrf(page), "scope": "selected", "action": "clear", "reason": "a long enough reason"},
        follow_redirects=True)
    assert "请先勾选访谈" in empty.get_data(as_text=True)
    assert db.session.query(JobRecord).count() == 0

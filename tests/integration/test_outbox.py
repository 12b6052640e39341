"""The outbox: events commit with the data, reach rq after the commit, survive Redis being down."""
from datetime import timedelta

from rq import SimpleWorker

from server import outbox
from server.extensions import db, rq
from server.models import OutboxEvent
from server.models.types import utcnow
from worker import jobs


def _run_worker(app):
    queues = rq.queues()
    SimpleWorker(queues, connection=rq.connection).work(burst=True)


def test_an_event_is_enqueued_only_after_commit(app):
    event = outbox.emit("system.ping")
    db.session.flush()
    assert rq.queue("default").count == 0
    db.session.commit()
    assert rq.queue("default").count == 1
    assert db.session.get(OutboxEvent, event.id).enqueued_at is not None


def test_a_rolled_back_event_is_never_enqueued(app):
    outbox.emit("system.ping")
    db.session.flush()
    db.session.rollback()
    assert rq.queue("default").count == 0 and db.session.query(OutboxEvent).count() == 0


def test_a_worker_processes_the_event(app):
    event = outbox.emit("system.ping")
    db.session.commit()
    _run_worker(app)
    db.session.expire_all()
    row = db.session.get(OutboxEvent, event.id)
    assert row.state == "done" and row.processed_at is not None and row.payload["pong"]["pid"]


def test_processing_twice_changes_nothing(app):
    event = outbox.emit("system.ping")
    db.session.commit()
    assert jobs.process_events([event.id]) == 1
    first = db.session.get(OutboxEvent, event.id).payload["pong"]
    assert jobs.process_events([event.id]) == 0
    db.session.expire_all()
    assert db.session.get(OutboxEvent, event.id).payload["pong"] == first


def test_with_redis_down_the_commit_succeeds_and_the_relay_catches_up(app):
    real = rq._connection
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    rq._connection = None
    event = outbox.emit("system.ping")
    db.session.commit()
    assert db.session.get(OutboxEvent, event.id).enqueued_at is None
    rq._connection = real
    db.session.get(OutboxEvent, event.id).created_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert outbox.relay_pending() == 1
    _run_worker(app)
    db.session.expire_all()
    assert db.session.get(OutboxEvent, event.id).state == "done"


def test_a_failing_step_is_recorded_and_does_not_block_others(app, monkeypatch):
    from worker import events

    def explode(event):
        raise ValueError("broken on purpose")

    monkeypatch.setitem(events.EVENT_JOBS, "test.explode", (explode,))
    bad, good = outbox.emit("test.explode"), outbox.emit("system.ping")
    db.session.commit()
    assert jobs.process_events([bad.id, good.id]) == 1
    db.session.expire_all()
    bad_row, good_row = db.session.get(OutboxEvent, bad.id), db.session.get(OutboxEvent, good.id)
    assert good_row.state == "done"
    assert bad_row.state == "pending" and bad_row.attempts == 1 and "broken on purpose" in bad_row.last_error
    for _ in range(jobs.MAX_ATTEMPTS - 1):
        jobs.process_events([bad.id])
    db.session.expire_all()
    assert db.session.get(OutboxEvent, bad.id).state == "failed"


"""The outbox: events commit with the data, wake a worker after the commit, survive Redis being down."""
from datetime import timedelta

from rq import SimpleWorker

from server.pipeline import outbox
from server.infra.extensions import db, rq
from server.models import OutboxEvent
from server.models.types import utcnow
from worker import events
from worker import drain


def _run_worker():
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)


def _state(event_id):
    db.session.expire_all()
    return db.session.get(OutboxEvent, event_id)


def test_a_queue_is_woken_only_after_commit_and_only_once(app):
    outbox.emit("system.ping")
    db.session.flush()
    assert rq.queue("default").count == 0
    db.session.commit()
    outbox.emit("system.ping")
    db.session.commit()
    assert rq.queue("default").count == 1  # one drain job takes both events


def test_a_rolled_back_event_wakes_nothing(app):
    outbox.emit("system.ping")
    db.session.flush()
    db.session.rollback()
    assert rq.queue("default").count == 0 and db.session.query(OutboxEvent).count() == 0


def test_a_worker_drains_the_queue(app):
    first = outbox.emit("system.ping")
    db.session.commit()
    more = [outbox.emit("system.ping") for _ in range(5)]
    db.session.commit()
    ids = [first.id] + [e.id for e in more]
    _run_worker()
    assert all(_state(i).state == "done" and _state(i).payload["pong"]["pid"] for i in ids)


def test_batches_bigger_than_one_claim_are_all_processed(app):
    app.config["WORKER_BATCH"] = 7
    for _ in range(30):
        outbox.emit("system.ping")
    db.session.commit()
    _run_worker()
    assert db.session.query(OutboxEvent).filter_by(state="done").count() == 30


def test_processing_twice_changes_nothing(app):
    event = outbox.emit("system.ping")
    db.session.commit()
    assert drain.process_events([event.id]) == 1
    first = _state(event.id).payload["pong"]
    assert drain.process_events([event.id]) == 0
    assert drain.drain("default") == 0
    assert _state(event.id).payload["pong"] == first


def test_with_redis_down_the_commit_succeeds_and_the_relay_catches_up(app):
    state, real_url = app.extensions["rq"], app.config["REDIS_URL"]
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    state.reset()
    event = outbox.emit("system.ping")
    db.session.commit()
    app.config["REDIS_URL"] = real_url
    state.reset()
    assert rq.queue("default").count == 0
    assert outbox.relay_pending() == set()  # too young to need the relay
    _state(event.id).created_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert outbox.relay_pending() == {"default"}
    _run_worker()
    assert _state(event.id).state == "done"


def test_a_failing_step_is_retried_with_back_off_and_does_not_block_others(app, monkeypatch):
    def explode(event):
        raise ValueError("broken on purpose")

    monkeypatch.setitem(events.EVENT_JOBS, "test.explode", (explode,))
    bad, good = outbox.emit("test.explode"), outbox.emit("system.ping")
    db.session.commit()
    _run_worker()
    assert _state(good.id).state == "done"
    row = _state(bad.id)
    assert row.state == "pending" and row.attempts == 1 and "broken on purpose" in row.last_error
    assert row.next_attempt_at > utcnow()
    for _ in range(drain.MAX_ATTEMPTS - 1):
        _state(bad.id).next_attempt_at = None
        db.session.commit()
        drain.drain("default")
    assert _state(bad.id).state == "failed"


def test_bad_input_fails_at_once_and_can_be_retried_by_hand(app, monkeypatch):
    from server.infra.errors import Problem

    def refuse(event):
        raise Problem("submission.unparseable", "cannot read it", 422)

    monkeypatch.setitem(events.EVENT_JOBS, "test.refuse", (refuse,))
    event = outbox.emit("test.refuse")
    db.session.commit()
    _run_worker()
    assert _state(event.id).state == "failed" and _state(event.id).attempts == 1
    monkeypatch.setitem(events.EVENT_JOBS, "test.refuse", ())
    outbox.retry(_state(event.id))
    db.session.commit()
    drain.drain("default")
    assert _state(event.id).state == "done"


def test_wake_soon_wakes_a_queue_at_most_once_per_interval_from_a_process(app, monkeypatch):
    clock = [1000.0]  # the process's monotonic clock, moved by hand: a loaded machine must not matter
    monkeypatch.setattr(outbox.time, "monotonic", lambda: clock[0])
    outbox.wake_soon(["default"])
    assert rq.queue("default").count == 1
    rq.connection.delete(outbox.wake_key("default"))  # as a drain does when it starts
    clock[0] += outbox.WAKE_EVERY / 2
    outbox.wake_soon(["default"])
    assert rq.queue("default").count == 1  # within the interval: not even Redis is asked
    clock[0] = 1000.0 + outbox.WAKE_EVERY * 1.5
    outbox.wake_soon(["default"])
    assert rq.queue("default").count == 2


def test_a_drain_looks_once_more_so_an_unannounced_commit_is_not_left_waiting(app, monkeypatch):
    """A commit whose wake-up was skipped lands while the drain has just found nothing."""
    assert drain.DRAIN_GRACE > outbox.WAKE_EVERY
    app.config["WORKER_DRAIN_GRACE"] = drain.DRAIN_GRACE  # the tests' config turns the grace off
    landed = []

    def commit_meanwhile(seconds):
        assert seconds == drain.DRAIN_GRACE
        if not landed:
            landed.append(outbox.emit("system.ping"))
            db.session.commit()

    monkeypatch.setattr(drain.time, "sleep", commit_meanwhile)
    assert drain.drain("default") == 1
    assert _state(landed[0].id).state == "done"

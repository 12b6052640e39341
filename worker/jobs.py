"""rq job functions. `drain(queue)` claims pending outbox events in batches and runs their steps.

Batches make a worker fast (one rq job per few hundred events, not per event); per-event savepoints
keep one broken event from spoiling its batch. An event is processed in the same transaction that
marks it done, so a crash at any point leaves it pending (to be redone) or done (never half-done),
and an event that is no longer pending is never run again: running a job twice changes nothing.
"""
import logging
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from server.errors import Problem
from server.extensions import db
from server.models import OutboxEvent
from server.models.types import utcnow
from worker.events import BATCH_WRITERS, EVENT_FAILED, jobs_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
DRAIN_SECONDS = 30  # then hand over, so a SIGTERM never waits long for the running job


def drain(queue, batch=None, budget=DRAIN_SECONDS):
    """Process the queue's due events until none are left (or the time budget is spent)."""
    from server.outbox import wake, wake_key

    batch = batch or current_app.config["WORKER_BATCH"]
    current_app.extensions["rq"].connection.delete(wake_key(queue))  # commits from now on wake anew
    started, done = time.monotonic(), 0
    try:
        while time.monotonic() - started < budget:
            events = _claim(queue, batch)
            if not events:
                return done
            if len(events) == batch:
                wake([queue])  # a backlog: let another worker process help
            done += _run_all(events)
            db.session.commit()
        wake([queue], force=True)
        return done
    finally:
        # The worker process keeps its app context between jobs: never hand a broken transaction on.
        db.session.rollback()


def process_events(event_ids):
    """Process the given events if they are still pending (used by tests and manual re-runs)."""
    events = db.session.execute(_pending().where(OutboxEvent.id.in_(event_ids))
                                .order_by(OutboxEvent.id)).scalars().all()
    done = _run_all(events)
    db.session.commit()
    return done


def _run_all(events):
    """Run each event in its savepoint; writes deferred to the batch's end go out before the commit."""
    for writer in BATCH_WRITERS:
        writer.begin_batch()
    done = 0
    for event in events:
        for writer in BATCH_WRITERS:
            writer.begin_event()
        succeeded = _run(event)
        for writer in BATCH_WRITERS:
            writer.end_event(succeeded)
        done += succeeded
    for writer in BATCH_WRITERS:
        writer.flush_batch()
    return done


def _claim(queue, batch):
    now = utcnow()
    query = (_pending().where(OutboxEvent.queue == queue)
             .where((OutboxEvent.next_attempt_at.is_(None)) | (OutboxEvent.next_attempt_at <= now))
             .order_by(OutboxEvent.id).limit(batch))
    if db.engine.dialect.name == "postgresql":
        # Workers draining the same queue take disjoint batches.
        query = query.with_for_update(skip_locked=True)
    return db.session.execute(query).scalars().all()


def _pending():
    return select(OutboxEvent).where(OutboxEvent.state == "pending")


def _run(event):
    try:
        # No autoflush: each step's writes go out together when the savepoint is released.
        with db.session.begin_nested(), db.session.no_autoflush:
            for step in jobs_for(event.name):
                step(event)
    except Exception as exc:
        _record_failure(event, exc)
        return 0
    event.state, event.processed_at, event.last_error, event.next_attempt_at = "done", utcnow(), None, None
    return 1


def _record_failure(event, exc):
    """Bad input fails at once (retrying cannot help); anything else is retried with back-off."""
    permanent = isinstance(exc, Problem) and exc.status < 500
    log.warning("event %s (%s) failed: %s", event.id, event.name, exc, exc_info=not permanent)
    event.attempts += 1
    event.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if permanent or event.attempts >= MAX_ATTEMPTS:
        event.state = "failed"
        if event.name in EVENT_FAILED:
            EVENT_FAILED[event.name](event)
    else:
        event.next_attempt_at = utcnow() + timedelta(seconds=min(2 ** event.attempts * 5, 600))


def retry(event):
    """Put a failed event back in line (a person asked for it)."""
    event.state, event.attempts, event.next_attempt_at = "pending", 0, None

"""rq job functions. `drain(queue)` claims pending outbox events in batches and runs their steps.

Batches make a worker fast (one rq job per few hundred events, not per event). Submission events are
computed in memory and written once per batch (worker/batch.py): a failing event leaves nothing to
write, so it fails alone; other events run one by one, each in its savepoint.

An event is processed in the same transaction that marks it done, so a crash at any point leaves it
pending (to be redone) or done (never half-done), and an event that is no longer pending is never run
again: running a job twice changes nothing.
"""
import logging
import time
from datetime import timedelta

import psycopg
from flask import current_app
from marshmallow import ValidationError
from sqlalchemy import select, update
from sqlalchemy.exc import DataError

from server.infra.errors import Problem
from server.infra.extensions import db
from server.infra import gcpause
from server.models import OutboxEvent
from server.models.types import utcnow
from server.pipeline.outbox import wake, wake_key
from worker.events import AFTER_BATCH, BATCHES, EVENT_FAILED, jobs_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
DRAIN_SECONDS = 30  # then hand over, so a SIGTERM never waits long for the running job
DRAIN_GRACE = 0.25  # seconds a drain waits for a last look (more than server.pipeline.outbox.WAKE_EVERY)


def drain(queue, batch=None, budget=DRAIN_SECONDS):
    """Process the queue's due events until none are left (or the time budget is spent)."""
    batch = batch or current_app.config["WORKER_BATCH"]
    current_app.extensions["rq"].connection.delete(wake_key(queue))  # commits from now on wake anew
    started, done = time.monotonic(), 0
    try:
        while time.monotonic() - started < budget:
            events = _claim(queue, batch) or _claim_after_grace(queue, batch)
            if not events:
                return done
            if len(events) == batch:
                wake([queue])  # a backlog: let another worker process help
            done += _run_all(events)
            _after(events)
            db.session.commit()
        wake([queue], force=True)
        return done
    finally:
        # The worker process keeps its app context between jobs: never hand a broken transaction on.
        db.session.rollback()


def _claim_after_grace(queue, batch):
    """Look once more before giving up: a web process wakes a queue at most every WAKE_EVERY
    (server.pipeline.outbox.wake_soon), so a commit it did not announce is at most that old."""
    db.session.rollback()  # end the empty claim's transaction before waiting
    time.sleep(current_app.config.get("WORKER_DRAIN_GRACE", DRAIN_GRACE))
    return _claim(queue, batch)


def process_events(event_ids):
    """Process the given events if they are still pending (used by tests and manual re-runs)."""
    events = db.session.execute(_pending().where(OutboxEvent.id.in_(event_ids))
                                .order_by(OutboxEvent.id)).scalars().all()
    done = _run_all(events)
    _after(events)
    db.session.commit()
    return done


def _run_all(events):
    """Events of a batched kind run together (read once, written once); the others one by one."""
    done, groups = 0, {}
    for event in events:
        kind = BATCHES.get(event.name)
        if kind is None:
            done += _run(event)
        else:
            groups.setdefault(kind, []).append(event)
    for kind, group in groups.items():
        done += _run_batch(kind, group)
    return done


def _run_batch(kind, events):
    """Run `events` as one batch in a savepoint: a failing step fails its event alone (nothing of it is
    written). Should the batch itself fail (rare: e.g. a row another worker wrote meanwhile), its events
    run again one at a time, so one bad event still cannot hold up the others."""
    try:
        # The collector paused: a batch is some 100,000 acyclic dicts (answers, findings, JSON), and
        # walking them took ~18% of the worker's time.
        with gcpause.paused(), db.session.begin_nested():
            batch = kind(events)
            failed = batch.run(jobs_for)
            batch.write()
    except Exception as exc:
        if len(events) == 1:
            _record_failure(events[0], exc)
            return 0
        log.warning("a batch of %d events failed (%s); running them one at a time", len(events), exc)
        return sum(_run_batch(kind, [event]) for event in events)
    for event, exc in failed:
        _record_failure(event, exc)
    failed_ids = {event.id for event, _ in failed}
    succeeded = [event.id for event in events if event.id not in failed_ids]
    if succeeded:
        db.session.execute(update(OutboxEvent).where(OutboxEvent.id.in_(succeeded)).values(
            state="done", processed_at=utcnow(), last_error=None, next_attempt_at=None))
    return len(succeeded)


def _after(events):
    """Follow-up requests (e.g. a chain sweep); a failure here must not undo the batch, it only delays
    them until the relay asks again."""
    try:
        with db.session.begin_nested():
            for hook in AFTER_BATCH:
                hook(events)
    except Exception as exc:
        log.warning("after-batch hooks failed (the relay will ask again): %s", exc)


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
    permanent = is_permanent(exc)
    log.warning("event %s (%s) failed: %s", event.id, event.name, exc, exc_info=not permanent)
    event.attempts += 1
    event.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if permanent or event.attempts >= MAX_ATTEMPTS:
        event.state = "failed"
        if event.name in EVENT_FAILED:
            EVENT_FAILED[event.name](event, exc)
    else:
        event.next_attempt_at = utcnow() + timedelta(seconds=min(2 ** event.attempts * 5, 600))


def is_permanent(exc):
    """An error of the data: a refused input (a Problem below 500), a value the database will not
    store (DataError: a NaN in JSON, a number out of range), a validation error. The same input
    fails the same way however often it is tried."""
    if isinstance(exc, Problem):
        return exc.status < 500
    return isinstance(exc, (DataError, psycopg.DataError, ValidationError))

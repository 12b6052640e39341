"""rq job functions. They take ids, run the steps registered for each event, and commit.

A job may receive the same event twice (the relay re-enqueues, Redis redelivers): an event that is
no longer pending is skipped, so running a job twice gives the same result as running it once.
"""
import logging

from sqlalchemy import select

from server.extensions import db
from server.models import OutboxEvent
from server.models.types import utcnow
from worker.events import jobs_for

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


def process_events(event_ids):
    """Process each pending event in its own transaction; one failure never blocks the others."""
    done = 0
    for event_id in event_ids:
        done += _process_one(event_id)
    return done


def _process_one(event_id):
    event = _claim(event_id)
    if event is None:
        db.session.rollback()
        return 0
    try:
        for step in jobs_for(event.name):
            step(event)
        event.state, event.processed_at, event.last_error = "done", utcnow(), None
        db.session.commit()
        return 1
    except Exception as exc:
        db.session.rollback()
        log.exception("event %s (%s) failed", event_id, exc.__class__.__name__)
        _record_failure(event_id, exc)
        return 0


def _claim(event_id):
    query = select(OutboxEvent).where(OutboxEvent.id == event_id, OutboxEvent.state == "pending")
    if db.engine.dialect.name == "postgresql":
        # Two workers holding the same id: one proceeds, the other skips it.
        query = query.with_for_update(skip_locked=True)
    return db.session.execute(query).scalar_one_or_none()


def _record_failure(event_id, exc):
    event = db.session.get(OutboxEvent, event_id)
    if event is None:
        return
    event.attempts += 1
    event.last_error = f"{exc.__class__.__name__}: {exc}"[:2000]
    if event.attempts >= MAX_ATTEMPTS:
        event.state = "failed"
    db.session.commit()

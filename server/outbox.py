"""Record work in the outbox inside the caller's transaction; hand it to rq after the commit.

`emit` only adds a row. When the session commits, the new events are enqueued; if Redis is down
the rows stay pending and the relay (`relay_pending`) enqueues them later. Nothing is lost either way.
"""
import logging
from datetime import timedelta

from sqlalchemy import event, select

from server.extensions import db
from server.models import OutboxEvent
from server.models.types import utcnow

log = logging.getLogger(__name__)
_PENDING_KEY = "fieldcheck.new_events"


def emit(name, payload=None, evaluation_id=None):
    """Add an event to the current transaction. Returns the (unflushed) row."""
    row = OutboxEvent(name=name, payload=payload or {}, evaluation_id=evaluation_id)
    db.session.add(row)
    return row


def init_app(app):
    session_class = db.session.session_factory.class_
    # Registered once per Session class; the handlers look up the app through current_app.
    if not event.contains(session_class, "after_flush", _collect_new_events):
        event.listen(session_class, "after_flush", _collect_new_events)
        event.listen(session_class, "after_commit", _enqueue_collected)
        event.listen(session_class, "after_soft_rollback", _forget_collected)


def _collect_new_events(session, _flush_context):
    new = [obj for obj in session.new if isinstance(obj, OutboxEvent)]
    if new:
        session.info.setdefault(_PENDING_KEY, []).extend(new)


def _enqueue_collected(session):
    events = session.info.pop(_PENDING_KEY, [])
    if events:
        enqueue([(e.id, e.name) for e in events])


def _forget_collected(session, _previous_transaction):
    session.info.pop(_PENDING_KEY, None)


def enqueue(id_names):
    """Hand committed events to rq, grouped by queue. Failures are logged: the relay retries."""
    from flask import current_app

    from worker.events import queue_for

    by_queue = {}
    for event_id, name in id_names:
        by_queue.setdefault(queue_for(name), []).append(event_id)
    try:
        for queue_name, ids in by_queue.items():
            current_app.extensions["rq"].queue(queue_name).enqueue(
                "worker.jobs.process_events", ids, job_timeout=600)
    except Exception as exc:  # Redis down or unreachable: the events stay pending
        log.warning("outbox: could not enqueue %d event(s), the relay will: %s", len(id_names), exc)
        return False
    _mark_enqueued([i for ids in by_queue.values() for i in ids])
    return True


def _mark_enqueued(ids):
    # A separate, short transaction: the caller's has already committed.
    with db.engine.begin() as connection:
        connection.execute(OutboxEvent.__table__.update()
                           .where(OutboxEvent.id.in_(ids))
                           .values(enqueued_at=utcnow()))


def relay_pending(older_than=timedelta(seconds=60), limit=1000):
    """Enqueue pending events never handed off, or handed off long ago and still not done."""
    now = utcnow()
    rows = db.session.execute(
        select(OutboxEvent.id, OutboxEvent.name)
        .where(OutboxEvent.state == "pending")
        .where((OutboxEvent.enqueued_at.is_(None) & (OutboxEvent.created_at < now - timedelta(seconds=5)))
               | (OutboxEvent.enqueued_at < now - older_than))
        .order_by(OutboxEvent.id).limit(limit)).all()
    db.session.rollback()
    if rows:
        enqueue([(r.id, r.name) for r in rows])
    return len(rows)

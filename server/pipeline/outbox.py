"""Record work in the outbox inside the caller's transaction; wake a worker after the commit.

`emit` only adds a row. When the session commits, each queue that got new events is woken: one
`worker.drain.drain` job is enqueued per queue unless one is already on its way (a Redis key), and
that job claims pending events in batches. If Redis is down the rows simply stay pending and the
relay (`relay_pending`) wakes the queues later. Nothing is lost either way.
"""
import logging
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import event, func, insert, select

from server.infra.extensions import db
from server.models import OutboxEvent
from server.pipeline.events import queue_for
from server.models.types import utcnow

log = logging.getLogger(__name__)
_NEW_QUEUES = "fieldcheck.woken_queues"
WAKE_TTL = 60  # seconds a wake-up job is assumed to be on its way
WAKE_EVERY = 0.1  # seconds between two wake-ups of a queue from one process (wake_soon)
_WOKEN_AT = "fieldcheck.woken_at"


def emit(name, payload=None, evaluation_id=None):
    """Add an event to the current transaction. Returns the (unflushed) row."""
    row = OutboxEvent(name=name, queue=queue_for(name), payload=payload or {}, evaluation_id=evaluation_id)
    db.session.add(row)
    return row


def emit_now(name, payload=None, evaluation_id=None):
    """`emit` as one Core INSERT on the session's connection, for hot paths that add no ORM rows.

    The queue is noted for the after-commit wake-up just as a flushed `emit` row would be.
    """
    queue = queue_for(name)
    db.session.connection().execute(insert(OutboxEvent.__table__), {
        "name": name, "queue": queue, "payload": payload or {}, "evaluation_id": evaluation_id})
    db.session.info.setdefault(_NEW_QUEUES, set()).add(queue)


def init_app(app):
    session_class = db.session.session_factory.class_
    # Registered once per Session class; the handlers find the app through current_app.
    if not event.contains(session_class, "after_flush", _collect_queues):
        event.listen(session_class, "after_flush", _collect_queues)
        event.listen(session_class, "after_commit", _wake_collected)
        event.listen(session_class, "after_soft_rollback", _forget_collected)


def _collect_queues(session, _flush_context):
    queues = {obj.queue for obj in session.new if isinstance(obj, OutboxEvent)}
    if queues:
        session.info.setdefault(_NEW_QUEUES, set()).update(queues)


def _wake_collected(session):
    queues = session.info.pop(_NEW_QUEUES, None)
    if queues:
        wake(queues)


def _forget_collected(session, _previous_transaction):
    session.info.pop(_NEW_QUEUES, None)


def wake(queues, force=False):
    """Enqueue a drain job on each queue (once per WAKE_TTL unless `force`). False if Redis is away."""
    rq = current_app.extensions["rq"]
    try:
        for name in sorted(queues):
            if force or rq.connection.set(wake_key(name), 1, nx=True, ex=WAKE_TTL):
                rq.queue(name).enqueue("worker.drain.drain", name, job_timeout=600, result_ttl=60)
    except Exception as exc:  # Redis down or unreachable: the events stay pending for the relay
        log.warning("outbox: could not wake %s, the relay will: %s", ", ".join(sorted(queues)), exc)
        return False
    return True


def wake_soon(queues):
    """`wake`, but at most once per WAKE_EVERY per queue from this process: at hundreds of
    submissions a second each would otherwise pay a Redis round trip to find the key already set.
    A commit it skips is still seen: a drain looks once more DRAIN_GRACE (longer than WAKE_EVERY)
    after it finds nothing, and some drain started after the last wake that went out."""
    woken = current_app.extensions.setdefault(_WOKEN_AT, {})
    now = time.monotonic()
    due = [queue for queue in queues if now - woken.get(queue, -WAKE_EVERY) >= WAKE_EVERY]
    if due and wake(due):
        woken.update(dict.fromkeys(due, now))


def wake_key(queue):
    return f"fieldcheck:wake:{queue}"


def relay_pending(older_than=None):
    """Wake every queue holding due events that have waited longer than `older_than`; returns the queues."""
    now = utcnow()
    older_than = older_than or timedelta(seconds=current_app.config["RELAY_AFTER"])
    due = (OutboxEvent.next_attempt_at.is_(None)) | (OutboxEvent.next_attempt_at <= now)
    rows = db.session.execute(
        select(OutboxEvent.queue, func.count())
        .where(OutboxEvent.state == "pending", OutboxEvent.created_at < now - older_than, due)
        .group_by(OutboxEvent.queue)).all()
    db.session.rollback()
    queues = {row[0] for row in rows}
    if queues:
        wake(queues, force=True)
    return queues


def emit_many(name, payloads, evaluation_id=None, at=None):
    """Add many events of one kind in one statement (e.g. re-checking a whole evaluation); they share
    the creation time `at` (now by default), which is how a job follows them."""
    queue, now = queue_for(name), at or utcnow()
    rows = [{"name": name, "queue": queue, "payload": p, "evaluation_id": evaluation_id, "state": "pending",
             "created_at": now, "attempts": 0} for p in payloads]
    if rows:
        db.session.execute(OutboxEvent.__table__.insert(), rows)
        db.session.info.setdefault(_NEW_QUEUES, set()).add(queue)
    return len(rows)


def retry(event):
    """Put a failed event back in line (a person asked for it)."""
    event.state, event.attempts, event.next_attempt_at = "pending", 0, None

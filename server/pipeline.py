"""Operating the background pipeline: failures, manual retries, re-checking an evaluation, worker health."""
from rq import Worker
from sqlalchemy import func, select

from server import audit, outbox
from server.errors import Problem
from server.extensions import db
from server.models import OutboxEvent, Submission


def failed_events(evaluation, limit=200):
    return db.session.execute(
        select(OutboxEvent).where(OutboxEvent.evaluation_id == evaluation.id, OutboxEvent.state == "failed")
        .order_by(OutboxEvent.id.desc()).limit(limit)).scalars().all()


def retry_event(evaluation, event_id, actor):
    """Put one failed event back in line. Raises Problem event.not_found / event.not_failed."""
    from worker.jobs import retry

    event = db.session.get(OutboxEvent, event_id)
    if event is None or event.evaluation_id != evaluation.id:
        raise Problem("event.not_found", f"event {event_id} does not exist", 404)
    if event.state != "failed":
        raise Problem("event.not_failed", f"event {event_id} is {event.state}, not failed", 409)
    retry(event)
    audit.record(actor, "event.retry", f"event:{event.id}", {"name": event.name}, evaluation.id)
    return event


def recheck_evaluation(evaluation, actor):
    """Run the submission pipeline again for every current submission (after a rule change)."""
    ids = db.session.execute(select(Submission.id).where(
        Submission.evaluation_id == evaluation.id, Submission.current.is_(True))
        .order_by(Submission.id)).scalars().all()
    count = outbox.emit_many("submission.recheck", [{"submission_id": i} for i in ids], evaluation.id)
    audit.record(actor, "pipeline.recheck", f"evaluation:{evaluation.id}", {"submissions": count},
                 evaluation.id)
    return count


def status(rq):
    """Workers with their last heartbeat, queue lengths, and outbox counts by queue and state."""
    counts = db.session.execute(select(OutboxEvent.queue, OutboxEvent.state, func.count())
                                .where(OutboxEvent.state != "done")
                                .group_by(OutboxEvent.queue, OutboxEvent.state)).all()
    outbox_counts = {}
    for queue, state, count in counts:
        outbox_counts.setdefault(queue, {})[state] = count
    workers = [{"name": w.name, "state": w.state, "queues": w.queue_names(),
                "last_heartbeat": w.last_heartbeat, "pid": w.pid}
               for w in Worker.all(connection=rq.connection)]
    queues = {q.name: q.count for q in rq.queues()}
    return {"workers": workers, "queues": queues, "outbox": outbox_counts}

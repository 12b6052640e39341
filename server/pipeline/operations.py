"""Operating the background pipeline: failures, manual retries, re-checking an evaluation, worker health."""
from rq import Worker
from sqlalchemy import func, select

from server.accounts import audit
from server.pipeline import outbox
from server.infra.errors import Problem, not_found
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import OutboxEvent, Submission
from server.models.types import utcnow
from server.pipeline import job_records

RECHECK, RECHECK_JOB = "submission.recheck", "pipeline.recheck"
RECHECK_DUE = "recheck_due"  # Evaluation.settings key: what changed since the last re-check, and since when


def failed_events(evaluation, limit=200):
    return db.session.execute(
        select(OutboxEvent).where(OutboxEvent.evaluation_id == evaluation.id, OutboxEvent.state == "failed")
        .order_by(OutboxEvent.id.desc()).limit(limit)).scalars().all()


def retry_event(evaluation, event_id, actor):
    """Put one failed event back in line. Raises Problem event.not_found / event.not_failed."""
    event = db.session.get(OutboxEvent, event_id)
    if event is None or event.evaluation_id != evaluation.id:
        raise not_found("event", event_id)
    if event.state != "failed":
        raise Problem("event.not_failed",
                      msg("The event %(event_id)s is %(state)s, not failed.", event_id=event_id,
                          state=event.state), 409)
    outbox.retry(event)
    audit.record(actor, "event.retry", f"event:{event.id}", {"name": event.name}, evaluation.id)
    return event


def recheck_evaluation(evaluation, actor, at=None):
    """Run the submission pipeline again for every current submission (after a rule change); returns
    how many were queued."""
    ids = db.session.execute(select(Submission.id).where(
        Submission.evaluation_id == evaluation.id, Submission.current.is_(True))
        .order_by(Submission.id)).scalars().all()
    count = outbox.emit_many(RECHECK, [{"submission_id": i} for i in ids], evaluation.id, at=at)
    audit.record(actor, "pipeline.recheck", f"evaluation:{evaluation.id}", {"submissions": count},
                 evaluation.id)
    if RECHECK_DUE in (evaluation.settings or {}):
        evaluation.settings = {k: v for k, v in evaluation.settings.items() if k != RECHECK_DUE}
    return count


def mark_recheck_due(evaluation, what):
    """Settings that findings depend on changed and no re-check was started: until one is, the findings
    follow the earlier settings. `what` names the change ("rules", "recusal_level", "reconciliation")."""
    settings = dict(evaluation.settings or {})
    due = settings.get(RECHECK_DUE) or {"since": utcnow().isoformat(), "changed": []}
    evaluation.settings = {**settings, RECHECK_DUE: {**due, "changed": sorted({*due["changed"], what})}}


def recheck_due(evaluation):
    """{"since": ISO time, "changed": [...]} when settings changed since the last re-check, else None."""
    return (evaluation.settings or {}).get(RECHECK_DUE)


def current_submissions(evaluation):
    """How many submissions a re-check would run again."""
    return db.session.execute(select(func.count()).select_from(Submission).where(
        Submission.evaluation_id == evaluation.id, Submission.current.is_(True))).scalar()


def start_recheck(evaluation, actor):
    """`recheck_evaluation` followed by a job record, so its progress can be read (job_records)."""
    at = utcnow()
    count = recheck_evaluation(evaluation, actor, at=at)
    return job_records.follow_events(evaluation.id, RECHECK_JOB, RECHECK, at, count), count


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

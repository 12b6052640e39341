"""Records of long jobs (form conversion, imports, exports, re-checks): created with the request.

A job run by one worker step writes its outcome in its own transaction, with its work, and its live
progress to Redis (best effort: writing it to the database from a second connection mid-transaction
would block or break the job's own transaction on SQLite). A job whose work is many outbox events
(a re-check) has its progress counted from those events.
"""
import json
import logging
import uuid
from datetime import datetime

from flask import current_app
from sqlalchemy import func, select

from server.pipeline import outbox
from server.infra.errors import not_found
from server.infra.extensions import db
from server.models import JobRecord, OutboxEvent

log = logging.getLogger(__name__)
PROGRESS_TTL = 24 * 3600


def start_job(evaluation_id, kind, params, event_name):
    """Add a queued job record and the outbox event that runs it (caller commits)."""
    job = JobRecord(id=str(uuid.uuid4()), evaluation_id=evaluation_id, kind=kind, params=params,
                    state="queued", message="queued")
    db.session.add(job)
    outbox.emit(event_name, {"job_id": job.id}, evaluation_id)
    return job


def follow_events(evaluation_id, kind, event_name, emitted_at, total):
    """A running job whose work is `total` events of `event_name` emitted at `emitted_at` (caller commits);
    its progress is read from those events (`live_view`), so no worker has to report it."""
    job = JobRecord(id=str(uuid.uuid4()), evaluation_id=evaluation_id, kind=kind, state="running",
                    message=event_name, params={"event": event_name, "emitted_at": emitted_at.isoformat(),
                                                "total": total})
    db.session.add(job)
    return job


def progress(job_id, percent, message, done=None, total=None):
    """Live progress of a running job (percent, the phase it is in, and done/total when counted)."""
    value = {"progress": percent, "message": message[:500], "done": done, "total": total}
    try:
        current_app.extensions["rq"].connection.set(_key(job_id), json.dumps(value), ex=PROGRESS_TTL)
    except Exception as exc:  # progress is informational; the job goes on without it
        log.debug("progress of %s not recorded: %s", job_id, exc)


def live_view(job):
    """The job as people should see it: its record, with live progress while it runs."""
    view = {c: getattr(job, c) for c in ("id", "kind", "state", "progress", "message", "result", "error",
                                         "created_at", "updated_at")}
    view.update(done=None, total=None)
    if "emitted_at" in (job.params or {}):
        return {**view, **_events_view(job.params, job.evaluation_id)}
    if job.state in ("queued", "running"):
        try:
            raw = current_app.extensions["rq"].connection.get(_key(job.id))
        except Exception:
            raw = None
        if raw:
            view.update(json.loads(raw), state="running")
    return view


def _events_view(params, evaluation_id):
    """Progress of a job that follows events: how many of them are done or failed."""
    emitted_at = datetime.fromisoformat(params["emitted_at"])
    states = dict(db.session.execute(
        select(OutboxEvent.state, func.count()).where(
            OutboxEvent.evaluation_id == evaluation_id, OutboxEvent.name == params["event"],
            OutboxEvent.created_at == emitted_at).group_by(OutboxEvent.state)).all())
    total, failed = params["total"], states.get("failed", 0)
    finished = states.get("done", 0) + failed
    over = finished >= total
    state = ("failed" if failed else "done") if over else "running"
    return {"done": finished, "total": total, "state": state,
            "progress": 100 if over else int(100 * finished / max(total, 1)),
            "message": f"{finished} of {total} done" + (f", {failed} failed" if failed else ""),
            "error": f"{failed} failed (fieldcheck pipeline failures)" if state == "failed" else None}


def failure(problem):
    """What a failed job keeps of its Problem (JSON): its code, its details in English, and its
    message in both languages for whoever reads the job."""
    return {"code": problem.code, "details": problem.localized_details("en"),
            "error_text": {lang: problem.localized(lang) for lang in ("zh", "en")}}


def get_job(evaluation, job_id):
    job = db.session.get(JobRecord, job_id)
    if job is None or job.evaluation_id != evaluation.id:
        raise not_found("job", job_id)
    return job


def _key(job_id):
    return f"fieldcheck:progress:{job_id}"

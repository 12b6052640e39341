"""Records of long jobs (form conversion, imports, exports): created with the request, finished by the worker.

The outcome is written in the job's own transaction, with its work. Live progress goes to Redis
(best effort): writing it to the database from a second connection mid-transaction would block
or break the job's own transaction on SQLite.
"""
import json
import logging
import uuid

from flask import current_app

from server import outbox
from server.errors import Problem
from server.extensions import db
from server.models import JobRecord

log = logging.getLogger(__name__)
PROGRESS_TTL = 24 * 3600


def start_job(evaluation_id, kind, params, event_name):
    """Add a queued job record and the outbox event that runs it (caller commits)."""
    job = JobRecord(id=str(uuid.uuid4()), evaluation_id=evaluation_id, kind=kind, params=params,
                    state="queued", message="queued")
    db.session.add(job)
    outbox.emit(event_name, {"job_id": job.id}, evaluation_id)
    return job


def progress(job_id, percent, message):
    try:
        current_app.extensions["rq"].connection.set(
            _key(job_id), json.dumps({"progress": percent, "message": message[:500]}), ex=PROGRESS_TTL)
    except Exception as exc:  # progress is informational; the job goes on without it
        log.debug("progress of %s not recorded: %s", job_id, exc)


def live_view(job):
    """The job as people should see it: its record, with live progress while it runs."""
    view = {c: getattr(job, c) for c in ("id", "kind", "state", "progress", "message", "result", "error",
                                         "created_at", "updated_at")}
    if job.state in ("queued", "running"):
        try:
            raw = current_app.extensions["rq"].connection.get(_key(job.id))
        except Exception:
            raw = None
        if raw:
            view.update(json.loads(raw), state="running")
    return view


def get_job(evaluation, job_id):
    job = db.session.get(JobRecord, job_id)
    if job is None or job.evaluation_id != evaluation.id:
        raise Problem("job.not_found", f"job {job_id!r} does not exist", 404)
    return job


def _key(job_id):
    return f"fieldcheck:progress:{job_id}"

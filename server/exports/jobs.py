"""Export jobs as people follow them, the same for the API and the dashboard: an evaluation's recent
exports, one export job, its view (progress, then what the file holds) and its finished file."""
import os

from sqlalchemy import select

from server.exports import files
from server.infra.errors import Problem
from server.infra.extensions import db
from server.infra.i18n import msg
from server.models import Form, JobRecord
from server.pipeline import job_records

RECENT = 20


def recent(evaluation, limit=RECENT):
    """The evaluation's latest export jobs, newest first, as `view`s."""
    jobs = db.session.execute(select(JobRecord).where(JobRecord.evaluation_id == evaluation.id,
                                                      JobRecord.kind == files.KIND)
                              .order_by(JobRecord.created_at.desc(), JobRecord.id).limit(limit)).scalars()
    return [view(job) for job in jobs]


def forms(evaluation):
    """[(form_id, title)] of the evaluation's forms, the choices of an export."""
    return db.session.execute(select(Form.xml_form_id, Form.title).where(Form.evaluation_id == evaluation.id)
                              .order_by(Form.xml_form_id)).all()


def export_job(evaluation, job_id):
    """The evaluation's export job `job_id`; another evaluation's, or another kind of job, is a 404."""
    job = job_records.get_job(evaluation, job_id)
    if job.kind != files.KIND:
        raise Problem("job.not_found", msg("There is no export %(job_id)r.", job_id=job_id), 404)
    return job


def view(job):
    """The job with live progress, what it asked for, and `ready` (its file may be downloaded now)."""
    shown = job_records.live_view(job)
    result = dict(shown.get("result") or {})
    result.pop("file", None)  # where it lies in the media store is ours
    params = {k: v for k, v in (job.params or {}).items() if k != "actor"}
    return {**shown, "result": result or None, "params": params, "actor": (job.params or {}).get("actor"),
            "ready": job.state == "done" and not result.get("expired")}


def finished_file(job):
    """(path, download name) of a done job's file; 409 while it runs, 410 once it has been removed."""
    result = job.result or {}
    if job.state != "done":
        raise Problem("export.not_ready",
                      msg("The export is %(state)s; follow its status URL.", state=job.state), 409)
    path = files.absolute(result["file"])
    if result.get("expired") or not os.path.exists(path):
        raise Problem("export.expired",
                      msg("This export's file has been removed; start the export again."), 410)
    return path, result["name"]

"""The evaluation report as an export job (the dashboard's export page offers it beside the forms):
queued on the `exports` queue, written into the export store as exports are, so it is followed,
downloaded and removed the same way (server.exports.jobs, server.exports.files)."""
import os

from server.accounts import audit
from server.exports import files
from server.infra.extensions import db
from server.models import Evaluation
from server.pipeline import job_records
from server.reports import service

EVENT = "report.run"
FORMAT = "report"


def start(evaluation, fmt, language, actor):
    """Queue the report in `fmt` (html, xlsx) and `language` (zh, en); caller commits. A bad format or
    language is a 400 now, before any job."""
    service.check(fmt, language)
    params = {"format": FORMAT, "report_format": fmt, "language": language, "filters": {}, "actor": actor}
    job = job_records.start_job(evaluation.id, files.KIND, params, EVENT)
    db.session.flush()
    audit.record(actor, "report.start", f"job:{job.id}", {"format": fmt, "language": language}, evaluation.id)
    return job


def run(job, progress=None):
    """Write the report of `job` into the export store; returns the job's result (caller records it)."""
    progress = progress or (lambda percent, message: job_records.progress(job.id, percent, message))
    files.sweep()
    evaluation = db.session.get(Evaluation, job.evaluation_id)
    params = job.params
    progress(10, "building the report")
    body, _, name = service.render(evaluation, params["report_format"], params["language"])
    folder = files.work_folder(job.id)
    try:
        built = os.path.join(folder, name)
        with open(built, "wb") as out:
            out.write(body)
        relative = files.publish(job.id, built, name)
    finally:
        files.discard(folder)
    progress(100, "report written")
    return {"file": relative, "name": name, "format": FORMAT, "report_format": params["report_format"],
            "language": params["language"], "filters": {}, "expires_at": files.expires_at().isoformat()}

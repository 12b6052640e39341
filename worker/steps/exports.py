"""Worker step for exports (the `exports` queue): write the file, then record the outcome on the job.

The outcome commits with the event, after the file is in place; a crash before that leaves the job not
done and the event pending, so it runs again into a fresh work folder.
"""
from server.exports import household_files, keys, service
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import JobRecord
from server.pipeline import job_records
from server.reports import jobs as report_jobs
from server.submissions import decryption


def run_export(event):
    job = db.session.get(JobRecord, event.payload["job_id"])
    if job is None or job.state in ("done", "failed"):
        return  # already handled: running the step twice changes nothing
    job_records.progress(job.id, 0, "starting")
    try:
        with db.session.begin_nested():
            result = service.run(job, key=_key(job), show_id_numbers=False)
    except Problem as problem:
        if problem.status >= 500:
            raise
        fail(job, problem)
        return
    job.state, job.progress, job.message, job.result, job.error = "done", 100, "exported", result, None
    keys.forget(job.id)


def run_report(event):
    """The evaluation report as an export job (server/reports/jobs.py): the same outcome rules."""
    _run_file_job(event, report_jobs.run)


def run_household_files(event):
    """A village's household files as an export job (server/exports/household_files.py)."""
    _run_file_job(event, household_files.run)


def _run_file_job(event, build):
    job = db.session.get(JobRecord, event.payload["job_id"])
    if job is None or job.state in ("done", "failed"):
        return
    job_records.progress(job.id, 0, "starting")
    try:
        with db.session.begin_nested():
            result = build(job)
    except Problem as problem:
        if problem.status >= 500:
            raise
        fail(job, problem)
        return
    job.state, job.progress, job.message, job.result, job.error = "done", 100, "exported", result, None


def _key(job):
    secret = keys.take(job.id)
    return decryption.load_private_key(*secret) if secret else None


def fail(job, problem):
    job.state, job.message, job.error = "failed", "failed", problem.message
    job.result = job_records.failure(problem)
    keys.forget(job.id)


def mark_failed(event):
    """The event failed for good (an unexpected error, retried): the job shows it."""
    job = db.session.get(JobRecord, event.payload.get("job_id"))
    if job is not None and job.state not in ("done", "failed"):
        fail(job, Problem("export.failed", msg("The export failed: %(error)s", error=event.last_error), 500))

"""Worker step for a register file uploaded through the API (server/households/import_jobs.py)."""
from server.households import import_jobs
from server.infra.extensions import db
from server.models import JobRecord
from server.pipeline import job_records


def import_register(event):
    job = db.session.get(JobRecord, event.payload["job_id"])
    if job is None or job.state in ("done", "failed"):
        return  # already handled: running the step twice changes nothing
    job_records.progress(job.id, 0, "reading the file")
    import_jobs.run(job)


def mark_failed(event):
    import_jobs.mark_failed(event.payload.get("job_id"), event.last_error)

"""Worker step for supervisors' bulk review (server/recusal/bulk_review.py)."""
from server.infra.extensions import db
from server.models import JobRecord
from server.recusal import bulk_review


def bulk_review_step(event):
    job = db.session.get(JobRecord, event.payload["job_id"])
    if job is None or job.state in ("done", "failed"):
        return  # already handled: running the step twice decides nothing twice
    job.state = "running"
    bulk_review.run(job)

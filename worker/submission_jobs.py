"""Worker steps for submissions: parse the XML into the answers document first, mark it processed last."""
from sqlalchemy import select

from server.answers import parse_answers
from server.extensions import db
from server.models import Attachment, FormVersion, Submission
from server.models.types import utcnow


def parse_submission(event):
    """Parse the submission into its answers document; running it again re-parses (idempotent)."""
    submission = db.session.get(Submission, event.payload["submission_id"])
    if submission is None:
        return
    if submission.encrypted:
        # Stored as sent; only the holder of the private key can read it.
        submission.answers = {"encrypted": True, "data": {}, "attachments": [], "unknown": []}
    else:
        version = db.session.get(FormVersion, submission.form_version_id)
        names = db.session.execute(select(Attachment.name).where(
            Attachment.submission_id == submission.id)).scalars().all()
        submission.answers = parse_answers(submission.xml, version.fields, names)


def complete_submission(event):
    """The last step: the pipeline ran to the end (counted once per event, as it commits with it)."""
    submission = db.session.get(Submission, event.payload["submission_id"])
    if submission is not None:
        submission.processing, submission.processed_at = "processed", utcnow()
        submission.pipeline_runs += 1


def mark_failed(event):
    """Called when the event has failed for good: the submission shows it, the event keeps the reason."""
    submission = db.session.get(Submission, event.payload.get("submission_id"))
    if submission is not None:
        submission.processing = "failed"

"""Worker steps for submissions: parse the XML into the answers document first, mark it processed last.

Like every submission step, they take the event's Work (worker/batch.py) and leave their results on it.
"""
from server.extensions import db
from server.models import Submission


def parse_submission(work):
    """Parse the submission into its answers document (parsed with its batch; an encrypted one is
    stored as sent: only the holder of the private key can read it)."""
    if work.submission is not None:
        work.submission.answers = work.batch.cases.parsed(work.submission)


def complete_submission(work):
    """The last step: the pipeline ran to the end (counted once per event, as it commits with it)."""
    work.completed = work.submission is not None


def mark_failed(event):
    """Called when the event has failed for good: the submission shows it, the event keeps the reason."""
    submission = db.session.get(Submission, event.payload.get("submission_id"))
    if submission is not None:
        submission.processing = "failed"

"""Worker steps for submissions: parse the XML into the answers document first, mark it processed last.

Like every submission step, they take the event's Work (worker/batch.py) and leave their results on it.
"""
from server.infra.errors import Problem
from server.infra.extensions import db
from server.models import Submission


def parse_submission(work):
    """Parse the submission into its answers document (parsed with its batch; an encrypted one is
    stored as sent: only the holder of the private key can read it)."""
    if work.submission is not None:
        work.submission.answers = work.batch.cases.parsed(work.submission)


def complete_submission(work):
    """The last step: the pipeline ran to the end (counted once per event, as it commits with it); a
    received event notes what it read, so a duplicate of it is known (worker/batch.py)."""
    work.completed = work.submission is not None
    if work.completed and work.event.name == "submission.received":
        work.submission.processed_inputs_sha256 = work.batch.received_inputs(work)


def mark_failed(event, exc):
    """Called when the event has failed for good: the submission shows it and why (supervisors see
    the problem on the interview), the event keeps the reason too."""
    submission = db.session.get(Submission, event.payload.get("submission_id"))
    if submission is not None:
        submission.processing = "failed"
        submission.processing_problem = _problem_of(exc)


def _problem_of(exc):
    if isinstance(exc, Problem):
        return exc.to_dict()
    return {"code": "pipeline.failed", "message": f"{exc.__class__.__name__}: {exc}"[:2000], "details": []}

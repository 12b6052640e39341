"""Worker step for submissions: reconcile with the household record and update the figures (after the
rules)."""
from server.extensions import db
from server.figures import status_hook
from server.models import Submission
from server.reconciliation import service
from server.recusal import loader

status_hook.install()


def reconcile_submission(event):
    """Reconcile the checked submission; running it again recomputes and replaces (idempotent)."""
    batch = loader.batch_for(event)
    submission = batch.submissions.get(event.payload.get("submission_id"))
    if submission is None:
        submission = db.session.get(Submission, event.payload.get("submission_id"))
    if submission is None or submission.answers is None:
        return
    service.reconcile(submission, batch, trigger=event.name)

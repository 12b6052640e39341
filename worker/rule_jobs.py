"""Worker step for submissions: run the recusal and quality rules (after the parse step)."""
from server.extensions import db
from server.recusal import loader, service


def check_submission(event):
    """Check the parsed submission; running it again with nothing changed adds nothing."""
    # No autoflush: the submission's changes from every step then go out as one UPDATE.
    with db.session.no_autoflush:
        batch = loader.batch_for(event)
        submission = batch.submissions.get(event.payload.get("submission_id"))
        if submission is None or submission.answers is None:
            return
        service.apply(submission, batch, trigger=event.name)

"""Worker step for submissions: run the recusal and quality rules (after the parse step)."""
from server.recusal import service


def check_submission(work):
    """Check the parsed submission; running it again with nothing changed adds nothing."""
    submission = work.submission
    if submission is None or submission.answers is None:
        return
    work.checked = service.apply(submission, work.batch.cases, trigger=work.event.name)
    if work.checked is not None:
        for name, value in work.checked.columns().items():
            setattr(submission, name, value)

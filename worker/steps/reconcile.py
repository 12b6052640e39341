"""Worker step for submissions: reconcile with the household record and move the figures (after the
rules)."""
from server.reconciliation import service


def reconcile_submission(work):
    """Reconcile the checked submission; running it again recomputes and replaces (idempotent)."""
    submission = work.submission
    if submission is None or submission.answers is None:
        return
    run = work.checked.run if work.checked is not None else work.batch.cases.runs.get(submission.id)
    changed = work.before is not None and work.before.review_status != submission.review_status
    work.reconciled = service.reconcile(submission, run, work.batch.cases, work.batch.known, changed)

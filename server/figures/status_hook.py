"""Figures follow an interview's status wherever it changes: a supervisor clearing or confirming an exclusion
(server/recusal/review.py, in a web request), or the rules in the worker.

A `before_flush` listener sees a Submission whose `review_status` or `current` changed and lets its
contribution in or out of the figures in the same flush, so no caller has to remember to.
"""
from sqlalchemy import event, select
from sqlalchemy.orm import Session, attributes

from server.models import Evaluation, FigureContribution, Submission
from server.evaluation_settings.reconciliation import effective
from server.figures import maintain


def install():
    """Register the listener once per process (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)


def _changed(submission):
    return any(attributes.get_history(submission, name).has_changes()
               for name in ("review_status", "current"))


def _before_flush(session, _context, _instances):
    changed = [o for o in session.dirty if isinstance(o, Submission) and _changed(o)]
    if not changed:
        return
    with session.no_autoflush:
        rows = {r.submission_id: r for r in session.execute(select(FigureContribution).where(
            FigureContribution.submission_id.in_([s.id for s in changed]))).scalars()}
        for submission in changed:
            row = rows.get(submission.id)
            if row is None:
                continue
            settings = effective(session.get(Evaluation, submission.evaluation_id).settings)
            maintain.follow_status(row, maintain.counts(submission, settings), maintain.status_of(submission))

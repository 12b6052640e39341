"""Supervisors' verdicts on a classification (confirm or reject a suspected 错评 / 漏评 / 错退), and changes
of the reconciliation settings. Both are audited. Domain code: the caller commits.
"""
from sqlalchemy import select

from server.accounts import audit
from server.pipeline import operations
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.figures import maintain
from server.models import ClassificationReview, Reconciliation
from server.reconciliation import service
from server.feed import webhooks
from server.submissions import feed_marks
from server.evaluation_settings import reconciliation as reconciliation_settings
from server.evaluation_settings import reconciliation_schema
from server.evaluation_settings.reconciliation import FLAGS
from server.figures.contribution import effective_flags as combine

DECISIONS = ("confirm", "reject")
MIN_REASON = 10


def reconciliation_of(submission):
    """The submission's Reconciliation. Raises Problem reconciliation.not_ready (409)."""
    row = db.session.get(Reconciliation, submission.id)
    if row is None:
        raise Problem("reconciliation.not_ready", msg("This interview has not been reconciled yet."), 409)
    return row


def reviews(submission):
    return db.session.execute(select(ClassificationReview).where(
        ClassificationReview.submission_id == submission.id)
        .order_by(ClassificationReview.id)).scalars().all()


def decide(evaluation, submission, flag, decision, reason, actor):
    """Record a verdict on one flag; the figures take it at once. Returns the ClassificationReview.

    Raises Problem classification.bad_flag / bad_decision / reason_required (422),
    reconciliation.not_ready (409).
    """
    if flag not in FLAGS:
        raise Problem("classification.bad_flag",
                      msg("The flag is one of %(choices)s.", choices=", ".join(FLAGS)),
                      422)
    if decision not in DECISIONS:
        raise Problem("classification.bad_decision", msg("The decision is confirm or reject."), 422)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Problem("classification.reason_required",
                      msg("A verdict needs a written reason of at least %(count)d characters.",
                          count=MIN_REASON), 422, [{"field": "reason", "message": msg("too short")}])
    row = reconciliation_of(submission)
    suspected = ((row.classification.get("flags") or {}).get(flag) or {}).get("verdict")
    review = ClassificationReview(submission_id=submission.id, evaluation_id=evaluation.id, flag=flag,
                                  decision=decision, reason=reason, actor=actor)
    db.session.add(review)
    feed_marks.touch(submission)
    db.session.flush()
    audit.record(actor, f"classification.{decision}", f"submission:{submission.instance_id}",
                 {"flag": flag, "reason": reason, "suspected": suspected}, evaluation.id)
    service.refresh_figures(submission)
    webhooks.emit(evaluation.id, "classification.reviewed", [submission.id])
    return review


def effective_flags(submission):
    row = reconciliation_of(submission)
    return combine(row.classification, maintain.reviews_of(submission.id))


# Read when the figures are read, not kept with each interview: a change needs no re-check.
READ_TIME = ("thresholds",)


def change_settings(evaluation, body, actor, recheck=True):
    """Validate and store the reconciliation settings, audit, and re-run every current submission (or,
    with `recheck=False`, note that a re-check is due when a setting kept with the interviews changed).

    Returns (overrides, queued). Raises marshmallow ValidationError.
    """
    overrides = reconciliation_schema.load(body)
    before = (evaluation.settings or {}).get("reconciliation")
    was = reconciliation_settings.effective(evaluation.settings)
    evaluation.settings = {**(evaluation.settings or {}), "reconciliation": overrides}
    audit.record(actor, "reconciliation.settings", f"evaluation:{evaluation.code}",
                 {"before": before, "after": overrides}, evaluation.id)
    if recheck:
        return overrides, operations.recheck_evaluation(evaluation, actor)
    now = reconciliation_settings.effective(evaluation.settings)
    if any(now.get(key) != was.get(key) for key in {*now, *was} - set(READ_TIME)):
        operations.mark_recheck_due(evaluation, "reconciliation")
    return overrides, 0

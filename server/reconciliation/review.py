"""Supervisors' verdicts on a classification (confirm or reject a suspected 错评 / 漏评 / 错退), and changes
of the reconciliation settings. Both are audited. Domain code: the caller commits.
"""
from sqlalchemy import select

from server import audit, pipeline
from server.errors import Problem
from server.extensions import db
from server.figures import maintain
from server.models import ClassificationReview, Reconciliation
from server.reconciliation import service
from server.reconciliation import settings as reconciliation_settings
from server.reconciliation.settings import FLAGS

DECISIONS = ("confirm", "reject")
MIN_REASON = 10


def reconciliation_of(submission):
    """The submission's Reconciliation. Raises Problem reconciliation.not_ready (409)."""
    row = db.session.get(Reconciliation, submission.id)
    if row is None:
        raise Problem("reconciliation.not_ready", "This interview has not been reconciled yet.", 409)
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
        raise Problem("classification.bad_flag", f"flag must be one of {', '.join(FLAGS)}", 422)
    if decision not in DECISIONS:
        raise Problem("classification.bad_decision", "decision must be confirm or reject", 422)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Problem("classification.reason_required",
                      f"A verdict needs a written reason of at least {MIN_REASON} characters.", 422,
                      [{"field": "reason", "message": "too short"}])
    row = reconciliation_of(submission)
    suspected = ((row.classification.get("flags") or {}).get(flag) or {}).get("verdict")
    review = ClassificationReview(submission_id=submission.id, evaluation_id=evaluation.id, flag=flag,
                                  decision=decision, reason=reason, actor=actor)
    db.session.add(review)
    db.session.flush()
    audit.record(actor, f"classification.{decision}", f"submission:{submission.instance_id}",
                 {"flag": flag, "reason": reason, "suspected": suspected}, evaluation.id)
    service.refresh_figures(submission)
    return review


def effective_flags(submission):
    row = reconciliation_of(submission)
    from server.figures.contribution import effective_flags as combine

    return combine(row.classification, maintain.reviews_of(submission.id))


def change_settings(evaluation, body, actor):
    """Validate and store the reconciliation settings, audit, and re-run every current submission.

    Returns (overrides, queued). Raises marshmallow ValidationError.
    """
    overrides = reconciliation_settings.load(body)
    before = (evaluation.settings or {}).get("reconciliation")
    evaluation.settings = {**(evaluation.settings or {}), "reconciliation": overrides}
    audit.record(actor, "reconciliation.settings", f"evaluation:{evaluation.code}",
                 {"before": before, "after": overrides}, evaluation.id)
    return overrides, pipeline.recheck_evaluation(evaluation, actor)

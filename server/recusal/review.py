"""Supervisors' decisions on interviews, and changes of an evaluation's rule settings.

Both are audited; a settings change re-checks every current submission in the worker, and the
earlier runs stay in the history. Domain code: the caller commits.
"""
from sqlalchemy import select

from server import audit, pipeline
from server.errors import Problem
from server.extensions import db
from server.models import CheckRun, ReviewDecision, Submission
from server.recusal import settings as rule_settings
from server.recusal import status

MIN_REASON = 10


def current_run(submission_id):
    return db.session.execute(select(CheckRun).where(CheckRun.submission_id == submission_id,
                                                     CheckRun.current.is_(True))).scalar()


def latest_decision(submission_id):
    return db.session.execute(select(ReviewDecision).where(ReviewDecision.submission_id == submission_id)
                              .order_by(ReviewDecision.id.desc()).limit(1)).scalar()


def decide(evaluation, submission, decision, reason, actor):
    """Record a supervisor's decision ("clear" or "exclude") with a written reason; returns it.

    Raises Problem review.bad_decision (422), review.reason_required (422), review.not_checked (409).
    """
    if decision not in status.DECISIONS:
        raise Problem("review.bad_decision", f"decision must be one of {', '.join(status.DECISIONS)}", 422)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Problem("review.reason_required", f"A decision needs a written reason of at least {MIN_REASON} "
                      "characters.", 422, [{"field": "reason", "message": "too short"}])
    run = current_run(submission.id)
    if run is None:
        raise Problem("review.not_checked", "This interview has not been checked yet.", 409)
    row = ReviewDecision(submission_id=submission.id, evaluation_id=evaluation.id, check_run_id=run.id,
                         decision=decision, reason=reason, codes=status.flagged_codes(run.findings),
                         actor=actor)
    db.session.add(row)
    settings = rule_settings.effective(evaluation.settings)
    submission.review_status = status.status_of(run.findings, row, settings.could_not_run)
    audit.record(actor, f"submission.review.{decision}", f"submission:{submission.instance_id}",
                 {"reason": reason, "codes": row.codes, "check_run": run.id,
                  "status": submission.review_status},
                 evaluation.id)
    db.session.flush()
    return row


def change_settings(evaluation, body, actor):
    """Validate and store the evaluation's rule settings, audit the change, queue re-checks.

    Returns (overrides, queued). Raises marshmallow ValidationError for an invalid body.
    """
    overrides = rule_settings.load(body)
    before = (evaluation.settings or {}).get("rules")
    evaluation.settings = {**(evaluation.settings or {}), "rules": overrides}  # a new dict: JSON change seen
    audit.record(actor, "rules.settings", f"evaluation:{evaluation.code}",
                 {"before": before, "after": overrides}, evaluation.id)
    queued = pipeline.recheck_evaluation(evaluation, actor)
    return overrides, queued


def find_submission(evaluation, instance_id):
    """The submission `instance_id` of the evaluation. Raises Problem submission.not_found (404)."""
    row = db.session.execute(select(Submission).where(Submission.evaluation_id == evaluation.id,
                                                      Submission.instance_id == instance_id)).scalar()
    if row is None:
        raise Problem("submission.not_found", f"submission {instance_id!r} does not exist", 404)
    return row

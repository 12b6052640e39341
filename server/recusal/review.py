"""Supervisors' decisions on interviews, and changes of an evaluation's rule settings.

Both are audited; a settings change re-checks every current submission in the worker, and the
earlier runs stay in the history. Domain code: the caller commits.
"""
from sqlalchemy import select

from server.accounts import audit
from server.pipeline import operations
from server.infra.errors import Problem, not_found
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import CheckRun, ReviewDecision, Submission
from server.recusal import settings as rule_settings
from server.recusal import status
from server.feed import webhooks
from server.submissions import feed_marks

MIN_REASON = 10


def current_run(submission_id):
    return db.session.execute(select(CheckRun).where(CheckRun.submission_id == submission_id,
                                                     CheckRun.current.is_(True))).scalar()


def latest_decision(submission_id):
    return db.session.execute(select(ReviewDecision).where(ReviewDecision.submission_id == submission_id)
                              .order_by(ReviewDecision.id.desc()).limit(1)).scalar()


def decide(evaluation, submission, decision, reason, actor, seen=None):
    """Record a supervisor's decision ("clear" or "exclude") with a written reason; returns it.

    `seen` is the id of the latest decision the supervisor saw (0 for none): when another decision was
    made since, nothing is overwritten. Raises Problem review.bad_decision (422), review.reason_required
    (422), review.not_checked (409), review.changed (409).
    """
    if seen is not None:
        refuse_if_changed(submission, seen)
    if decision not in status.DECISIONS:
        raise Problem("review.bad_decision", msg("The decision is one of %(choices)s.",
                                                 choices=", ".join(status.DECISIONS)), 422)
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Problem("review.reason_required", msg("A decision needs a written reason of at least %(count)d "
                                                    "characters.", count=MIN_REASON), 422,
                      [{"field": "reason", "message": msg("too short")}])
    run = current_run(submission.id)
    if run is None:
        raise Problem("review.not_checked", msg("This interview has not been checked yet."), 409)
    row = ReviewDecision(submission_id=submission.id, evaluation_id=evaluation.id, check_run_id=run.id,
                         decision=decision, reason=reason, codes=status.flagged_codes(run.findings),
                         actor=actor)
    db.session.add(row)
    settings = rule_settings.effective(evaluation.settings)
    submission.review_status = status.status_of(run.findings, row, settings.could_not_run)
    feed_marks.touch(submission)
    db.session.flush()
    webhooks.emit(evaluation.id, "interview.reviewed", [submission.id])
    audit.record(actor, f"submission.review.{decision}", f"submission:{submission.instance_id}",
                 {"reason": reason, "codes": row.codes, "check_run": run.id,
                  "status": submission.review_status},
                 evaluation.id)
    db.session.flush()
    return row


def refuse_if_changed(submission, seen):
    latest = latest_decision(submission.id)
    if (latest.id if latest else 0) != int(seen):
        raise Problem("review.changed", msg("%(actor)s decided on this interview (%(decision)s) after you "
                                            "opened it; read their decision before making yours.",
                                            actor=latest.actor, decision=latest.decision), 409,
                      [{"field": "seen", "message": "stale", "decision": latest.decision}])


def comment(evaluation, submission, text, actor):
    """A supervisor's note on an interview, kept in the audit log. Raises Problem review.empty_comment."""
    text = (text or "").strip()
    if not text:
        raise Problem("review.empty_comment", msg("Write the comment first."), 422,
                      [{"field": "comment", "message": msg("empty")}])
    return audit.record(actor, "submission.comment", f"submission:{submission.instance_id}",
                        {"comment": text[:4000]}, evaluation.id)


def request_revisit(evaluation, submission, reason, actor):
    """Ask for the household to be visited again, with the reason. Raises Problem review.reason_required."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Problem("review.reason_required", msg("A re-visit request needs a written reason of at least "
                                                    "%(count)d characters.", count=MIN_REASON), 422,
                      [{"field": "reason", "message": msg("too short")}])
    return audit.record(actor, "submission.revisit", f"submission:{submission.instance_id}",
                        {"reason": reason[:4000]}, evaluation.id)


def change_settings(evaluation, body, actor, recheck=True):
    """Validate and store the evaluation's rule settings, audit the change, queue re-checks (or, with
    `recheck=False`, note that one is due when the effective settings changed: the dashboard offers it).

    Returns (overrides, queued). Raises marshmallow ValidationError for an invalid body.
    """
    overrides = rule_settings.load(body)
    before = (evaluation.settings or {}).get("rules")
    was = rule_settings.effective(evaluation.settings).to_dict()
    evaluation.settings = {**(evaluation.settings or {}), "rules": overrides}  # a new dict: JSON change seen
    audit.record(actor, "rules.settings", f"evaluation:{evaluation.code}",
                 {"before": before, "after": overrides}, evaluation.id)
    if recheck:
        return overrides, operations.recheck_evaluation(evaluation, actor)
    if rule_settings.effective(evaluation.settings).to_dict() != was:
        operations.mark_recheck_due(evaluation, "rules")
    return overrides, 0


RECUSAL_LEVELS = ("province", "county", "township", "village")


def set_recusal_level(evaluation, level, actor, recheck=True):
    """The evaluation's recusal level (some provinces forbid only one's own township): assignments are
    refused and REC-02 finds an enumerator working in their own place at that level. Audited; every
    current submission is re-checked (with `recheck=False` a re-check is noted as due when the level
    changed). Returns the number queued.

    Raises Problem recusal.bad_level (422).
    """
    if level not in RECUSAL_LEVELS:
        raise Problem("recusal.bad_level", msg("The recusal level is one of %(choices)s.",
                                               choices=", ".join(RECUSAL_LEVELS)), 422,
                      [{"field": "level", "message": msg("%(level)r is not a level", level=level)}])
    before = (evaluation.settings or {}).get("recusal_level", "county")
    evaluation.settings = {**(evaluation.settings or {}), "recusal_level": level}
    audit.record(actor, "recusal.level", f"evaluation:{evaluation.code}", {"before": before, "after": level},
                 evaluation.id)
    if recheck:
        return operations.recheck_evaluation(evaluation, actor)
    if level != before:
        operations.mark_recheck_due(evaluation, "recusal_level")
    return 0


def find_submission(evaluation, instance_id):
    """The submission `instance_id` of the evaluation. Raises Problem submission.not_found (404)."""
    row = db.session.execute(select(Submission).where(Submission.evaluation_id == evaluation.id,
                                                      Submission.instance_id == instance_id)).scalar()
    if row is None:
        raise not_found("submission", instance_id)
    return row

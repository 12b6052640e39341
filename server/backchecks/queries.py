"""Back-check listings and the report (error rates per enumerator, back-checker, field and type)."""
from sqlalchemy import select
from sqlalchemy.orm import aliased

from server.backchecks.compare import report as error_report
from server.infra.extensions import db
from server.models import BackcheckTarget, Enumerator, Household, RuleFinding, Submission


def targets(evaluation, draw_id=None):
    """[dict] of the evaluation's back-check targets (without the original answers: supervisors' view)."""
    original, checker = aliased(Enumerator), aliased(Enumerator)
    query = (select(BackcheckTarget, original.username, checker.username, Household.archive_id,
                    Submission.instance_id)
             .join(original, original.id == BackcheckTarget.enumerator_id)
             .join(checker, checker.id == BackcheckTarget.backchecker_id)
             .join(Household, Household.id == BackcheckTarget.household_id)
             .join(Submission, Submission.id == BackcheckTarget.original_submission_id)
             .where(BackcheckTarget.evaluation_id == evaluation.id).order_by(BackcheckTarget.id))
    if draw_id:
        query = query.where(BackcheckTarget.draw_id == draw_id)
    return [{"id": t.id, "draw_id": t.draw_id, "instance_id": instance_id, "enumerator": enumerator,
             "backchecker": backchecker, "household": archive_id,
             "done": t.backcheck_submission_id is not None,
             "comparison": t.comparison, "compared_at": t.compared_at}
            for t, enumerator, backchecker, archive_id, instance_id in db.session.execute(query)]


def report(evaluation):
    """bcstats-style error rates over the back-checks that arrived, and the back-checks outside the draw
    (BCK-01: no original, not drawn, by the original enumerator, not by the assigned back-checker)."""
    done = [t for t in targets(evaluation) if t["comparison"] is not None]
    results = [({"enumerator": t["enumerator"], "backchecker": t["backchecker"]}, t["comparison"])
               for t in done]
    return {"backchecks": len(done), **error_report(results), "outside_draw": outside_draw(evaluation)}


def outside_draw(evaluation):
    """[{instance_id, reason, household, enumerator}] of the current back-checks BCK-01 found."""
    rows = db.session.execute(
        select(Submission.instance_id, RuleFinding.evidence)
        .join(Submission, Submission.id == RuleFinding.submission_id)
        .where(RuleFinding.evaluation_id == evaluation.id, RuleFinding.code == "BCK-01",
               RuleFinding.current.is_(True), RuleFinding.outcome == "found", Submission.current.is_(True))
        .order_by(RuleFinding.id))
    return [{"instance_id": instance_id, "reason": evidence.get("reason"),
             "household": evidence.get("household"), "enumerator": evidence.get("enumerator")}
            for instance_id, evidence in rows]

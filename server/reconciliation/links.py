"""A supervisor links an interview to the registered household it is about, when its card did not say
(an unknown, unreadable or missing card). The interview is checked and reconciled again with that
household; nothing is created in the register. Domain code: the caller commits.
"""
from sqlalchemy import select

from server.accounts import audit
from server.pipeline import outbox
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Household, HouseholdLink, Submission

MIN_REASON = 10


def link(evaluation, submission, archive_id, reason, actor):
    """Link `submission`'s interview (its root instance) to household `archive_id`; re-checks it.

    Raises Problem household.not_found (404), link.reason_required (422).
    """
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON:
        raise Problem("link.reason_required", msg("A link needs a written reason of at least %(count)d "
                                                  "characters.", count=MIN_REASON), 422,
                      [{"field": "reason", "message": msg("too short")}])
    household = db.session.execute(select(Household).where(
        Household.evaluation_id == evaluation.id, Household.archive_id == archive_id)).scalar()
    if household is None:
        raise Problem("household.not_found", msg("The household %(archive_id)r is not in this evaluation's "
                                                 "register.", archive_id=archive_id), 404)
    row = db.session.execute(select(HouseholdLink).where(
        HouseholdLink.evaluation_id == evaluation.id,
        HouseholdLink.root_instance_id == submission.root_instance_id)).scalar()
    if row is None:
        row = HouseholdLink(evaluation_id=evaluation.id, root_instance_id=submission.root_instance_id)
        db.session.add(row)
    row.household_id, row.reason, row.actor = household.id, reason, actor
    db.session.flush()
    audit.record(actor, "submission.link_household", f"submission:{submission.instance_id}",
                 {"household": archive_id, "reason": reason}, evaluation.id)
    current = db.session.execute(select(Submission.id).where(
        Submission.evaluation_id == evaluation.id, Submission.root_instance_id == submission.root_instance_id,
        Submission.current.is_(True))).scalar()
    outbox.emit("submission.recheck", {"submission_id": current, "reason": "household_link"}, evaluation.id)
    return row

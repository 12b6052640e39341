"""Assignments of households (or whole villages, for 漏评 screening) to enumerators, with recusal.

An enumerator may not work in their own place. The level is `evaluation.settings["recusal_level"]`
("province", "county" (default), "township" or "village"); places are compared by code when both
sides have one, else by name. An admin may override a refusal with a written justification, which
is stored on the assignment and in the audit log.
"""
from sqlalchemy import select

from server import audit
from server.errors import Problem
from server.extensions import db
from server.models import Assignment, Enumerator, Household, SampleUnit
from server.models.types import utcnow

LEVELS = ("province", "county", "township", "village")
_CODE_LENGTH = {"province": 2, "county": 6, "township": 9, "village": 12}
MIN_JUSTIFICATION = 10
_PLACE = ("province", "county", "township", "village", "county_code", "township_code", "village_code")


def recusal_conflict(enumerator, place, level="county"):
    """The reason this enumerator may not work in `place` (a dict of names and codes), or None."""
    if level not in LEVELS:
        raise Problem("assignment.bad_level", f"recusal_level must be one of {', '.join(LEVELS)}.")
    home = {k: getattr(enumerator, k) for k in ("county_code", "township_code", "village_code")}
    mine, theirs = _code_at(home, level), _code_at(place, level)
    if mine and theirs:
        same = mine == theirs
    else:
        mine_name, their_name = getattr(enumerator, level, ""), place.get(level) or ""
        same = bool(mine_name) and mine_name == their_name
    if not same:
        return None
    return (f"enumerator {enumerator.username!r} comes from the same {level} "
            f"({place.get(level) or theirs}) as the assignment; recusal level is {level!r}")


def _code_at(values, level):
    # A finer code carries the coarser ones as its prefix (GB/T 2260, NBS 统计用区划代码).
    for source in ("village_code", "township_code", "county_code"):
        code = values.get(source)
        if code and len(code) >= _CODE_LENGTH[level]:
            return code[:_CODE_LENGTH[level]]
    return None


def assign(evaluation, enumerator, actor, household=None, village_code=None, sample_unit=None,
           justification=None, actor_is_admin=False):
    """Create an assignment. Raises Problem assignment.recusal (409), assignment.override_forbidden
    (403), assignment.bad_target (422), assignment.exists (409)."""
    if (household is None) == (village_code is None):
        raise Problem("assignment.bad_target", "Assign either one household or one village.", 422)
    place = _place(evaluation.id, household, village_code)
    reason = recusal_conflict(enumerator, place, evaluation.settings.get("recusal_level", "county"))
    justification = (justification or "").strip() or None
    if reason and justification is None:
        raise Problem("assignment.recusal", f"Refused: {reason}.", 409,
                      [{"field": "enumerator", "message": reason}])
    if justification and not actor_is_admin:
        raise Problem("assignment.override_forbidden", "Only an admin may override a recusal refusal.", 403)
    if reason and len(justification) < MIN_JUSTIFICATION:
        raise Problem("assignment.recusal", f"An override needs a written justification of at least "
                      f"{MIN_JUSTIFICATION} characters.", 422)
    _refuse_duplicate(evaluation.id, enumerator, household, village_code)
    row = Assignment(evaluation_id=evaluation.id, enumerator_id=enumerator.id,
                     household_id=household and household.id, village_code=village_code,
                     sample_unit_id=sample_unit and sample_unit.id,
                     override_justification=justification if reason else None)
    db.session.add(row)
    db.session.flush()
    details = {"enumerator": enumerator.username, "household": household and household.archive_id,
               "village_code": village_code}
    if reason:
        details.update(recusal=reason, justification=justification)
    audit.record(actor, "assignment.override" if reason else "assignment.create", f"assignment:{row.id}",
                 details, evaluation.id)
    return row


def _place(evaluation_id, household, village_code):
    if household is not None:
        return {k: getattr(household, k) for k in _PLACE}
    sample = db.session.execute(select(Household).where(
        Household.evaluation_id == evaluation_id, Household.village_code == village_code).limit(1)).scalar()
    place = {"village_code": village_code, "township_code": village_code[:9], "county_code": village_code[:6]}
    if sample is not None:
        place.update(province=sample.province, county=sample.county, township=sample.township,
                     village=sample.village)
    return place


def _refuse_duplicate(evaluation_id, enumerator, household, village_code):
    query = select(Assignment.id).where(Assignment.evaluation_id == evaluation_id,
                                        Assignment.enumerator_id == enumerator.id,
                                        Assignment.revoked_at.is_(None))
    query = query.where(Assignment.household_id == household.id) if household is not None else \
        query.where(Assignment.village_code == village_code)
    if db.session.execute(query).first():
        raise Problem("assignment.exists", "This enumerator already has this assignment.", 409)


def revoke(assignment, actor):
    assignment.revoked_at = utcnow()
    audit.record(actor, "assignment.revoke", f"assignment:{assignment.id}", {}, assignment.evaluation_id)


def get_enumerator(evaluation_id, username):
    row = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation_id,
                                                      Enumerator.username == username)).scalar()
    if row is None:
        raise Problem("enumerator.not_found", f"enumerator {username!r} does not exist", 404)
    return row


def get_unit(sample_unit_id):
    return db.session.get(SampleUnit, sample_unit_id) if sample_unit_id else None

"""Assignments of households (or whole villages, for 漏评 screening) to enumerators, with recusal.

An enumerator may not work in their own place. The level is `evaluation.settings["recusal_level"]`
("province", "county" (default), "township" or "village"); places are compared by code when both
sides have one, else by name. An admin may override a refusal with a written justification, which
is stored on the assignment and in the audit log.
"""
from sqlalchemy import exists, select

from server.accounts import audit
from server.infra.errors import Problem, not_found
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Assignment, Enumerator, Household, Reconciliation, SampleUnit, Submission
from server.models.types import utcnow

LEVELS = ("province", "county", "township", "village")
_CODE_LENGTH = {"province": 2, "county": 6, "township": 9, "village": 12}
MIN_JUSTIFICATION = 10
LEVEL_NAMES = {"province": msg("province"), "county": msg("county"), "township": msg("township"),
               "village": msg("village")}
_PLACE = ("province", "county", "township", "village", "county_code", "township_code", "village_code")


def recusal_conflict(enumerator, place, level="county"):
    """The reason this enumerator may not work in `place` (a dict of names and codes), or None."""
    if level not in LEVELS:
        raise Problem("assignment.bad_level", msg("The recusal level is one of %(choices)s.",
                                                  choices=", ".join(LEVELS)))
    home = {k: getattr(enumerator, k) for k in ("county_code", "township_code", "village_code")}
    mine, theirs = _code_at(home, level), _code_at(place, level)
    if mine and theirs:
        same = mine == theirs
    else:
        mine_name, their_name = getattr(enumerator, level, ""), place.get(level) or ""
        same = bool(mine_name) and mine_name == their_name
    if not same:
        return None
    return msg("enumerator %(username)r comes from the same %(level)s (%(place)s) as the assignment; "
               "the recusal level is %(level)s", username=enumerator.username, level=LEVEL_NAMES[level],
               place=place.get(level) or theirs)


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
        raise Problem("assignment.bad_target", msg("Assign either one household or one village."), 422)
    place = _place(evaluation.id, household, village_code)
    level = evaluation.settings.get("recusal_level", "county")
    reason = recusal_conflict(enumerator, place, level)
    justification = (justification or "").strip() or None
    if reason and justification is None:
        raise Problem("assignment.recusal", msg("Refused: %(reason)s.", reason=reason), 409,
                      [{"field": "enumerator", "message": reason, "enumerator": enumerator.username,
                        "level": level, "place": place.get(level) or _code_at(place, level) or ""}])
    _check_override(bool(reason), justification, actor_is_admin)
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
        details.update(recusal=str(reason), justification=justification)  # the audit log is in English
    audit.record(actor, "assignment.override" if reason else "assignment.create", f"assignment:{row.id}",
                 details, evaluation.id)
    return row


def assign_batch(evaluation, enumerator, actor, targets, justification=None, actor_is_admin=False, batch=""):
    """Assign many targets at once, all or none; a target is (sample unit or None, household or None,
    village code or None). Targets the enumerator holds already are skipped. Returns the new assignments.

    The recusal rule is checked for every target before anything is written: Problem assignment.recusal
    (409) lists each refusal as {index, field, message, enumerator, level, place}; an admin's written
    justification overrides them (assignment.override_forbidden 403 for anyone else, assignment.recusal
    422 when it is too short). One audit entry for the batch (its target is `batch`), one more naming the
    refusals an override set aside.
    """
    justification = (justification or "").strip() or None
    level = evaluation.settings.get("recusal_level", "county")
    households, villages = _held(evaluation.id, enumerator, targets)
    refused, todo = [], []
    for index, (unit, household, village_code) in enumerate(targets):
        if household is not None and household.id in households or village_code in villages:
            continue  # theirs already: assigning twice adds nothing
        place = _place(evaluation.id, household, village_code)
        reason = recusal_conflict(enumerator, place, level)
        if reason:
            refused.append({"index": index, "field": "enumerator", "message": f"Refused: {reason}.",
                            "enumerator": enumerator.username, "level": level,
                            "place": place.get(level) or _code_at(place, level) or ""})
        todo.append((unit, household, village_code, reason))
    if refused and justification is None:
        raise Problem("assignment.recusal", msg("Refused: %(count)d assignment(s).", count=len(refused)),
                      409, refused)
    _check_override(bool(refused), justification, actor_is_admin)
    rows = [Assignment(evaluation_id=evaluation.id, enumerator_id=enumerator.id,
                       household_id=household and household.id, village_code=village_code,
                       sample_unit_id=unit and unit.id,
                       override_justification=justification if reason else None)
            for unit, household, village_code, reason in todo]
    db.session.add_all(rows)
    db.session.flush()
    if rows:
        audit.record(actor, "assignment.create", batch, {
            "enumerator": enumerator.username, "assignments": [r.id for r in rows],
            "households": [h.archive_id for _, h, _, _ in todo if h is not None],
            "villages": [v for _, _, v, _ in todo if v]}, evaluation.id)
    if refused:
        audit.record(actor, "assignment.override", batch, {
            "enumerator": enumerator.username, "justification": justification,
            "recusal": [r["message"] for r in refused]}, evaluation.id)
    return rows


def _check_override(refused, justification, actor_is_admin):
    """A justification is an admin's, and long enough when it sets a refusal aside."""
    if justification and not actor_is_admin:
        raise Problem("assignment.override_forbidden",
                      msg("Only an admin may override a recusal refusal."), 403)
    if refused and len(justification) < MIN_JUSTIFICATION:
        raise Problem("assignment.recusal", msg("An override needs a written justification of at least "
                                                "%(count)d characters.", count=MIN_JUSTIFICATION), 422)


def _held(evaluation_id, enumerator, targets):
    """(household ids, village codes) among `targets` the enumerator holds in a live assignment."""
    live = select(Assignment.household_id, Assignment.village_code).where(
        Assignment.evaluation_id == evaluation_id, Assignment.enumerator_id == enumerator.id,
        Assignment.revoked_at.is_(None))
    ids = [h.id for _, h, _ in targets if h is not None]
    codes = [v for _, _, v in targets if v]
    households = {r.household_id for r in db.session.execute(live.where(Assignment.household_id.in_(ids)))}
    villages = {r.village_code for r in db.session.execute(live.where(Assignment.village_code.in_(codes)))}
    return households, villages


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
        raise Problem("assignment.exists", msg("This enumerator already has this assignment."), 409)


def revoke(assignment, actor):
    assignment.revoked_at = utcnow()
    audit.record(actor, "assignment.revoke", f"assignment:{assignment.id}", {}, assignment.evaluation_id)


def get_enumerator(evaluation_id, username):
    row = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation_id,
                                                      Enumerator.username == username)).scalar()
    if row is None:
        raise not_found("enumerator", username)
    return row


def active_enumerators(evaluation_id):
    """The evaluation's active enumerators by username, for choosing whom to assign."""
    return db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation_id,
                                                       Enumerator.active.is_(True))
                              .order_by(Enumerator.username)).scalars().all()


def get_unit(sample_unit_id):
    return db.session.get(SampleUnit, sample_unit_id) if sample_unit_id else None


def of_enumerator(enumerator, limit=500):
    """The live assignments of an enumerator, newest first, at most `limit`: [{id, archive_id, head_name,
    village, village_code, sample_unit_id, override, created_at, interviewed}] (interviewed: they have a
    current interview of that household)."""
    interviewed = exists().where(Reconciliation.household_id == Assignment.household_id,
                                 Submission.id == Reconciliation.submission_id,
                                 Submission.enumerator_id == Assignment.enumerator_id,
                                 Submission.current.is_(True))
    rows = db.session.execute(
        select(Assignment, Household.archive_id, Household.head_name, Household.village,
               interviewed.label("interviewed"))
        .outerjoin(Household, Household.id == Assignment.household_id)
        .where(Assignment.enumerator_id == enumerator.id, Assignment.revoked_at.is_(None))
        .order_by(Assignment.id.desc()).limit(limit))
    return [{"id": a.id, "archive_id": archive_id, "head_name": head_name, "village": village,
             "village_code": a.village_code, "sample_unit_id": a.sample_unit_id,
             "override": bool(a.override_justification), "created_at": a.created_at,
             "interviewed": bool(done) if a.household_id else None}
            for a, archive_id, head_name, village, done in rows]

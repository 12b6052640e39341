"""Reading drawn samples, and handing a sample's units to an enumerator.

A unit is live until it is replaced (its `outcome` says why it was not interviewed; its substitute is a
unit of its own). Assigning a sample assigns its live units, each linked to the unit it came from, and
refuses the whole batch when the recusal rules refuse any of them, so nothing is half assigned.
"""
from collections import Counter

from sqlalchemy import func, select

from server.households import assignments
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Assignment, Enumerator, Household, Sample, SampleUnit


def list_samples(evaluation_id):
    """Every sample of the evaluation, newest first, with its unit counts."""
    samples = db.session.execute(select(Sample).where(Sample.evaluation_id == evaluation_id)
                                 .order_by(Sample.id.desc())).scalars().all()
    counts = _unit_counts([s.id for s in samples])
    return [{"id": s.id, "name": s.name, "seed": s.seed, "created_at": s.created_at,
             **counts.get(s.id, {"households": 0, "villages": 0, "replaced": 0})} for s in samples]


def _unit_counts(sample_ids):
    if not sample_ids:
        return {}
    rows = db.session.execute(
        select(SampleUnit.sample_id, SampleUnit.household_id.is_not(None), SampleUnit.outcome.is_not(None),
               func.count())
        .where(SampleUnit.sample_id.in_(sample_ids))
        .group_by(SampleUnit.sample_id, SampleUnit.household_id.is_not(None),
                  SampleUnit.outcome.is_not(None))).all()
    out = {}
    for sample_id, is_household, replaced, n in rows:
        entry = out.setdefault(sample_id, {"households": 0, "villages": 0, "replaced": 0})
        entry["households" if is_household else "villages"] += n
        entry["replaced"] += n if replaced else 0
    return out


def unit_rows(units):
    """Plain rows for units: the household's archive id, and who each unit is assigned to."""
    ids = {u.household_id for u in units if u.household_id}
    found = {row.id: row for row in db.session.execute(
        select(Household.id, Household.archive_id, Household.head_name, Household.village)
        .where(Household.id.in_(ids)))} if ids else {}
    assigned = _assignees(units)
    rows = []
    for u in units:
        household = found.get(u.household_id)
        rows.append({**{k: getattr(u, k) for k in ("id", "stratum", "rank", "village_code", "outcome",
                                                   "substitute_for_id", "substitute_reason")},
                     "archive_id": household and household.archive_id,
                     "head_name": household and household.head_name,
                     "village": household and household.village,
                     "assigned_to": assigned.get(u.id, [])})
    return rows


def _assignees(units):
    """{unit id: [usernames]} of the live assignments holding each unit: through the sample, or its
    household assigned directly (as coverage counts it)."""
    if not units:
        return {}
    by_household = {}
    for u in units:
        if u.household_id:
            by_household.setdefault(u.household_id, []).append(u.id)
    holders = select(Assignment.sample_unit_id, Assignment.household_id, Enumerator.username).join(
        Enumerator, Enumerator.id == Assignment.enumerator_id).where(Assignment.revoked_at.is_(None))
    rows = [*db.session.execute(holders.where(Assignment.sample_unit_id.in_([u.id for u in units]))),
            *db.session.execute(holders.where(Assignment.household_id.in_(list(by_household))))]
    rows.sort(key=lambda row: row.username)
    out = {}
    for unit_id, household_id, username in rows:
        for held in {unit_id, *by_household.get(household_id, ())} - {None}:
            if username not in out.setdefault(held, []):
                out[held].append(username)
    return out


_UNIT = (SampleUnit.id, SampleUnit.sample_id, SampleUnit.household_id, SampleUnit.village_code,
         SampleUnit.stratum, SampleUnit.rank, SampleUnit.substitute_for_id, SampleUnit.substitute_reason,
         SampleUnit.outcome)


def units_of(sample):
    """The sample's units by stratum and rank, as read-only rows (a sample may have thousands)."""
    return db.session.execute(select(*_UNIT).where(SampleUnit.sample_id == sample.id)
                              .order_by(SampleUnit.stratum, SampleUnit.rank)).all()


def strata_summary(sample):
    """{stratum: number of units} of a sample."""
    return dict(sorted(Counter(u.stratum for u in units_of(sample)).items()))


def assign_units(evaluation, sample, enumerator, actor, unit_ids=None, justification=None,
                 actor_is_admin=False):
    """Assign the sample's live units (or those of `unit_ids`) to `enumerator`; returns the new
    assignments (units already theirs are skipped).

    Raises Problem sample.unit_not_found (404) for a unit not in the sample, sample.unit_replaced (409)
    for a replaced one, and assignment.recusal (409) naming every unit the recusal rules refuse.
    """
    units = _chosen_units(sample, unit_ids)
    households = {h.id: h for h in db.session.execute(select(Household).where(
        Household.id.in_({u.household_id for u in units if u.household_id}))).scalars()}
    targets = [(u, households.get(u.household_id), None if u.household_id else u.village_code) for u in units]
    try:
        return assignments.assign_batch(evaluation, enumerator, actor, targets, justification,
                                        actor_is_admin, batch=f"sample:{sample.id}")
    except Problem as problem:
        if problem.code != "assignment.recusal" or problem.status != 409:
            raise
        refused = [_refusal(d, targets[d["index"]]) for d in problem.details]
        raise Problem("assignment.recusal",
                      msg("%(refused)d of %(units)d units may not go to %(username)s; nothing was assigned.",
                          refused=len(refused), units=len(units), username=enumerator.username),
                      409, refused) from None


def _refusal(detail, target):
    """What the recusal rule said about one unit: the enumerator, the level and the place it compared."""
    unit, household, village_code = target
    said = {k: v for k, v in detail.items() if k != "index"}
    return {**said, "unit": unit.id, "village_code": village_code,
            "archive_id": household.archive_id if household is not None else None}


def _chosen_units(sample, unit_ids):
    units = units_of(sample)
    if not unit_ids:
        return [u for u in units if u.outcome is None]
    by_id = {u.id: u for u in units}
    missing = [i for i in unit_ids if i not in by_id]
    if missing:
        raise Problem("sample.unit_not_found",
                      msg("Units %(units)s are not in sample %(sample)s.", units=missing,
                          sample=sample.id), 404)
    replaced = [i for i in unit_ids if by_id[i].outcome is not None]
    if replaced:
        raise Problem("sample.unit_replaced", msg("Units %(units)s were replaced; assign their substitutes.",
                                                  units=replaced), 409)
    return [by_id[i] for i in unit_ids]

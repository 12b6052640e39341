"""How far a sample's fieldwork has come: of its live household units, how many are assigned, how many
interviewed, how many still missing; per stratum, and the state of each unit.

A unit is live until it is replaced (its substitute is a live unit of its own). It is assigned when a
live assignment holds it (through the sample, or its household directly) and interviewed when its
household has a current interview, by anyone: a household interviewed outside the plan still counts,
and the interview table shows by whom.
"""
from sqlalchemy import select

from server.infra.extensions import db
from server.households.samples import units_of
from server.models import Assignment, InterviewFact, SampleUnit, Submission

STATES = ("interviewed", "assigned", "unassigned", "replaced", "screening")


def coverage(sample, units=None):
    """{"totals": {...}, "strata": {stratum: {...}}, "states": {unit id: state}} (see STATES); `units` are
    the sample's, when the caller has read them already."""
    units = units_of(sample) if units is None else units
    assigned_units, assigned_households, villages = _assigned(sample)
    interviewed = _interviewed(sample)
    states, strata = {}, {}
    for unit in units:
        states[unit.id] = state = _state(unit, assigned_units, assigned_households, villages, interviewed)
        if state != "screening":
            _count(strata.setdefault(unit.stratum, _zero()), state)
    totals = _zero()
    for counts in strata.values():
        for key in totals:
            totals[key] += counts[key]
    screening = [u for u in units if u.household_id is None]
    totals.update(screening_villages=len(screening),
                  screening_assigned=sum(1 for u in screening if states[u.id] == "assigned"))
    return {"totals": totals, "strata": dict(sorted(strata.items())), "states": states}


def _zero():
    return {"units": 0, "assigned": 0, "interviewed": 0, "missing": 0, "unassigned": 0, "replaced": 0}


def _count(counts, state):
    if state == "replaced":
        counts["replaced"] += 1
        return
    counts["units"] += 1
    counts["assigned"] += state in ("assigned", "interviewed")
    counts["interviewed"] += state == "interviewed"
    counts["missing"] += state != "interviewed"
    counts["unassigned"] += state == "unassigned"


def _state(unit, assigned_units, assigned_households, villages, interviewed):
    if unit.household_id is None:
        return "assigned" if unit.id in assigned_units or unit.village_code in villages else "screening"
    if unit.outcome is not None:
        return "replaced"
    if unit.household_id in interviewed:
        return "interviewed"
    held = unit.id in assigned_units or unit.household_id in assigned_households
    return "assigned" if held else "unassigned"


def _assigned(sample):
    """(unit ids, household ids, village codes) held by live assignments: three lookups, each on its index."""
    live = (Assignment.evaluation_id == sample.evaluation_id, Assignment.revoked_at.is_(None))
    of_sample = select(SampleUnit.id).where(SampleUnit.sample_id == sample.id)
    households = select(SampleUnit.household_id).where(SampleUnit.sample_id == sample.id,
                                                       SampleUnit.household_id.is_not(None))
    villages = select(SampleUnit.village_code).where(SampleUnit.sample_id == sample.id,
                                                     SampleUnit.village_code.is_not(None))
    found = [set(db.session.execute(select(column).where(*live, test)).scalars())
             for column, test in ((Assignment.sample_unit_id, Assignment.sample_unit_id.in_(of_sample)),
                                  (Assignment.household_id, Assignment.household_id.in_(households)),
                                  (Assignment.village_code, Assignment.village_code.in_(villages)))]
    return tuple(found)


def _interviewed(sample):
    household_ids = select(SampleUnit.household_id).where(SampleUnit.sample_id == sample.id,
                                                          SampleUnit.household_id.is_not(None))
    return set(db.session.execute(
        select(InterviewFact.household_id).distinct()
        .join(Submission, Submission.id == InterviewFact.submission_id)
        .where(InterviewFact.evaluation_id == sample.evaluation_id, Submission.current.is_(True),
               InterviewFact.household_id.in_(household_ids))).scalars())

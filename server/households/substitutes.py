"""Substitutes: when a drawn household is absent or refuses, the next one from its stratum replaces it,
drawn with the sample's seed so the replacement is reproducible too."""
import random

from sqlalchemy import func, select

from server.accounts import audit
from server.infra.errors import Problem, not_found
from server.infra.i18n import msg
from server.infra.extensions import db
from server.households.sampling import REASONS, stratum_of
from server.models import Household, Sample, SampleUnit

MAX_NOTE = 400


def substitute(sample, unit_id, reason, actor, note=""):
    """Record why unit `unit_id` was not interviewed and draw its substitute. Returns the new unit.

    Raises Problem sample.unit_not_found (404), sample.bad_reason and sample.bad_note (422),
    sample.already_replaced (409), sample.no_substitute (409).
    """
    unit = db.session.get(SampleUnit, unit_id)
    if unit is None or unit.sample_id != sample.id or unit.household_id is None:
        raise Problem("sample.unit_not_found",
                      msg("The unit %(unit)s is not in this sample.", unit=unit_id), 404)
    if reason not in REASONS:
        raise Problem("sample.bad_reason",
                      msg("The reason is one of %(choices)s.", choices=", ".join(REASONS)),
                      422)
    if len(note) > MAX_NOTE:
        raise Problem("sample.bad_note",
                      msg("The note is at most %(count)d characters.", count=MAX_NOTE), 422)
    if unit.outcome is not None:
        raise Problem("sample.already_replaced", msg("The unit %(unit)s was already replaced (%(outcome)s).",
                                                     unit=unit_id, outcome=unit.outcome), 409)
    candidate = _next_candidate(sample, unit)
    rank = db.session.execute(select(func.max(SampleUnit.rank)).where(
        SampleUnit.sample_id == sample.id, SampleUnit.stratum == unit.stratum)).scalar() + 1
    unit.outcome = reason
    new = SampleUnit(sample_id=sample.id, household_id=candidate, stratum=unit.stratum, rank=rank,
                     substitute_for_id=unit.id, substitute_reason=f"{reason}: {note}" if note else reason)
    db.session.add(new)
    db.session.flush()
    audit.record(actor, "sample.substitute", f"sample:{sample.id}",
                 {"unit": unit.id, "substitute": new.id, "reason": reason, "note": note},
                 sample.evaluation_id)
    return new


def _next_candidate(sample, unit):
    taken = set(db.session.execute(select(SampleUnit.household_id).where(
        SampleUnit.sample_id == sample.id, SampleUnit.household_id.isnot(None))).scalars())
    rows = db.session.execute(select(Household.id, Household.status, Household.village_code).where(
        Household.evaluation_id == sample.evaluation_id, Household.withdrawn_at.is_(None))
        .order_by(Household.archive_id)).all()
    per_village, villages = sample.design.get("per_village", False), sample.design.get("village_codes")
    pool = [r.id for r in rows if r.id not in taken and (not villages or r.village_code in villages)
            and stratum_of(r.status, r.village_code, per_village) == unit.stratum]
    if not pool:
        raise Problem("sample.no_substitute", msg("No household is left in the stratum %(stratum)r.",
                                                  stratum=unit.stratum), 409)
    return random.Random(f"{sample.seed}:{unit.stratum}:substitute:{unit.id}").choice(pool)


def get_sample(evaluation_id, sample_id):
    sample = db.session.get(Sample, sample_id)
    if sample is None or sample.evaluation_id != evaluation_id:
        raise not_found("sample", sample_id)
    return sample

"""Helpers for the figures tests: a world of households with cards, an enumerator assigned to them,
interviews with known truths (through the recusal factories' Collect-shaped XML), and reading back."""
from rq import SimpleWorker

from server.infra.extensions import db, rq
from server.models import FigureArea, FigureContribution, Reconciliation
from server.figures.contribution import aggregate
from server.figures.maintain import as_dict
from server.models.counters import AREA_COUNTERS
from testkit.recusal_factories import interview_fields, token_seed

# Interviews in 2021: the income answers refer to 2020, whose national line (4,000 yuan) is a default.
START = "2021-05-01T09:00:00.000+08:00"


def run_worker():
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)


WATER = ("tap", "deep_well", "shallow_well", "cistern")


def visit_start(household):
    """A household's own visit time (2021-05-0d, one every 50 minutes from 08:00, ten a day), so a team's
    interviews follow one another as on a real day."""
    n = (household.id if household is not None else 0) % 40
    day, slot = 1 + n // 10, n % 10
    return f"2021-05-{day:02d}T{8 + slot * 50 // 60:02d}:{slot * 50 % 60:02d}:00.000+08:00"


def fields_for(token, household, *, start=None, income=6000, size=4, **overrides):
    """A clean interview whose per-capita income is `income` for a household of `size` (B1 carries it).
    Households differ where it changes no figure (water source, transfers offset by costs, hh_resident),
    as real ones do, so no two of them look copied (FAB-01)."""
    answers = interview_fields(token, household, start=start or visit_start(household), **overrides)
    n = household.id if household is not None else token_seed(token) % 10000
    answers["household"]["hh_size"] = size
    answers["income"].update(b1=income * size, b2=0, b3=0, b4=0, b5=n, b6=0, b7=n)
    answers["two_worries"]["c4"] = overrides.get("two_worries__c4", WATER[n % len(WATER)])
    return answers


def village_rows(evaluation_id):
    return {r.village_code: r for r in db.session.query(FigureArea).filter_by(evaluation_id=evaluation_id)}


def totals(evaluation_id):
    """Counters summed over the aggregate rows, and recomputed from every contribution (what each adds)."""
    areas = db.session.query(FigureArea).filter_by(evaluation_id=evaluation_id).all()
    rows = [aggregate(as_dict(r)) for r in
            db.session.query(FigureContribution).filter_by(evaluation_id=evaluation_id)]
    return ({c: sum(getattr(a, c) for a in areas) for c in AREA_COUNTERS},
            {c: sum(r[c] for r in rows) for c in AREA_COUNTERS})


def reconciliation(submission_id):
    return db.session.get(Reconciliation, submission_id)

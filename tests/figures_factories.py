"""Helpers for the figures tests: a world of households with cards, an enumerator assigned to them,
interviews with known truths (through the recusal factories' Collect-shaped XML), and reading back."""
from rq import SimpleWorker

from server.extensions import db, rq
from server.models import FigureArea, FigureContribution, Reconciliation
from tests.recusal_factories import interview_fields

# Interviews in 2021: the income answers refer to 2020, whose national line (4,000 yuan) is a default.
START = "2021-05-01T09:00:00.000+08:00"


def run_worker():
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)


def fields_for(token, household, *, start=START, income=6000, size=4, **overrides):
    """A clean interview whose per-capita income is `income` for a household of `size` (B1 carries it)."""
    answers = interview_fields(token, household, start=start, **overrides)
    answers["household"]["hh_size"] = size
    answers["income"].update(b1=income * size, b2=0, b3=0, b4=0, b5=0, b6=0, b7=0)
    return answers


def village_rows(evaluation_id):
    return {r.village_code: r for r in db.session.query(FigureArea).filter_by(evaluation_id=evaluation_id)}


def totals(evaluation_id):
    """Counters summed over the aggregate rows, and recomputed from the counting contributions."""
    from server.figures.counters import COUNTERS

    areas = db.session.query(FigureArea).filter_by(evaluation_id=evaluation_id).all()
    rows = db.session.query(FigureContribution).filter_by(evaluation_id=evaluation_id, counts=True).all()
    return ({c: sum(getattr(a, c) for a in areas) for c in COUNTERS},
            {c: sum(getattr(r, c) for r in rows) for c in COUNTERS})


def reconciliation(submission_id):
    return db.session.get(Reconciliation, submission_id)

"""Keeping the figures current: an interview's contribution row is replaced, and its village's aggregate
row moves by the difference. Never a scan: one row read, at most two aggregate rows moved (the old and
the new village when an interview moves).

An interview (root instanceID) has one contribution, from its current submission; `counts` says whether
its status lets it into the figures (settings["count_statuses"]).

`change` and `recount` are pure (a contribution is a dict of its columns) and return the moves; the
worker keeps them for its batch (server/figures/store.py). `update` and `set_counts` apply them to the
ORM row and its aggregate at once (a supervisor's verdict or decision in a web request).
"""
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from server.extensions import db
from server.figures.contribution import counters, delta
from server.figures.counters import COUNTERS
from server.models import ClassificationReview, FigureArea, FigureContribution

AREA_CODES = ("county_code", "township_code", "village_code")


def counts(submission, settings):
    """Whether the submission enters the figures: current, and a status that counts (never `excluded`)."""
    return bool(submission.current) and submission.review_status in (settings.get("count_statuses") or ())


def reviews_of(submission_id):
    """{flag: "confirm" | "reject"}: the latest supervisor verdict per flag."""
    rows = db.session.execute(select(ClassificationReview.flag, ClassificationReview.decision)
                              .where(ClassificationReview.submission_id == submission_id)
                              .order_by(ClassificationReview.id)).all()
    return {flag: decision for flag, decision in rows}


def contribution_of(evaluation_id, root_instance_id):
    return db.session.execute(select(FigureContribution).where(
        FigureContribution.evaluation_id == evaluation_id,
        FigureContribution.root_instance_id == root_instance_id)).scalar()


def change(row, submission, classification, area, settings, reviews):
    """(new contribution dict, [(area, counter change)]) making `submission`'s contribution reflect
    `classification` in `area` (a dict of codes and names); `row` is the interview's current
    contribution dict, or None. The caller leaves an older version of an edited interview alone."""
    old = _values(row) if row is not None and row["counts"] else None
    old_area = _area_of(row) if row is not None else None
    new_values = counters(classification, reviews)
    new_row = dict(row) if row is not None else {"id": None, "evaluation_id": submission.evaluation_id,
                                                 "root_instance_id": submission.root_instance_id}
    new_row.update(submission_id=submission.id, **{k: area[k] for k in AREA_CODES}, **new_values,
                   counts=counts(submission, settings))
    new = new_values if new_row["counts"] else None
    moves = []
    if old_area is not None and old_area["village_code"] != area["village_code"]:
        moves.append((old_area, delta(old, None)))
        old = None
    moves.append((area, delta(old, new)))
    return new_row, moves


def recount(row, now_counts):
    """(new contribution dict, moves) letting a contribution in or out of the figures (its interview's
    status changed)."""
    if bool(row["counts"]) == bool(now_counts):
        return row, []
    values = _values(row)
    change_ = delta(None, values) if now_counts else delta(values, None)
    return {**row, "counts": bool(now_counts)}, [(_area_of(row), change_)]


_UNKNOWN = object()


def update(submission, classification, area, settings, reviews=None, contribution=_UNKNOWN):
    """`change` applied to the ORM contribution row and the village aggregates, now. An older version of
    an edited interview (not current) leaves the interview's contribution alone. Returns the row or None."""
    if not submission.current:
        return None
    row = (contribution_of(submission.evaluation_id, submission.root_instance_id)
           if contribution is _UNKNOWN else contribution)
    values, moves = change(as_dict(row), submission, classification, area, settings,
                           reviews if reviews is not None else reviews_of(submission.id))
    if row is None:
        row = FigureContribution(evaluation_id=submission.evaluation_id,
                                 root_instance_id=submission.root_instance_id)
        db.session.add(row)
    _assign(row, values)
    for moved, counter_change in moves:
        bump(submission.evaluation_id, moved, counter_change)
    return row


def set_counts(row, now_counts):
    """`recount` applied to the ORM contribution row and its village aggregate, now."""
    values, moves = recount(as_dict(row), now_counts)
    _assign(row, values)
    for moved, counter_change in moves:
        bump(row.evaluation_id, moved, counter_change)


COLUMNS = ("id", "evaluation_id", "root_instance_id", "submission_id", *AREA_CODES, "counts", *COUNTERS)


def as_dict(row):
    """A contribution (ORM row or Core row) as the dict `change` takes; None stays None."""
    if row is None:
        return None
    return {name: getattr(row, name) for name in COLUMNS}


def _assign(row, values):
    for name in ("submission_id", *AREA_CODES, "counts", *COUNTERS):
        setattr(row, name, values[name])


def _values(row):
    return {name: row[name] or 0 for name in COUNTERS}


def _area_of(row):
    return {name: row[name] for name in AREA_CODES}


def bump(evaluation_id, area, change_):
    """Add `change_` to the village's aggregate row."""
    change_ = {k: v for k, v in change_.items() if v}
    if change_:
        upsert_area(evaluation_id, area, change_)


class Deltas:
    """Village changes added up in memory (a worker batch): one upsert per village, not per interview."""

    def __init__(self):
        self.by_village = {}

    def add(self, evaluation_id, area, change_):
        change_ = {k: v for k, v in change_.items() if v}
        if not change_:
            return
        key = (evaluation_id, area["village_code"])
        known_area, total = self.by_village.setdefault(key, (dict(area), {}))
        for name in ("county", "township", "village"):
            if area.get(name) and not known_area.get(name):
                known_area[name] = area[name]
        for name, value in change_.items():
            total[name] = total.get(name, 0) + value

    def write(self):
        for (evaluation_id, _village), (area, total) in self.by_village.items():
            bump(evaluation_id, area, total)


def upsert_area(evaluation_id, area, change_):
    """One upsert statement: the village's aggregate row, created on first use, moves by `change_`."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    table = FigureArea.__table__
    names = {k: (area.get(k) or "")[:100] for k in ("county", "township", "village")}
    statement = dialect.insert(table).values(
        evaluation_id=evaluation_id, village_code=area["village_code"], county_code=area["county_code"],
        township_code=area["township_code"], **names, **{**dict.fromkeys(COUNTERS, 0), **change_})
    # Names fill in when known (a non-registered household's interview may not know them).
    keep_names = {k: func.coalesce(func.nullif(statement.excluded[k], ""), table.c[k]) for k in names}
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.evaluation_id, table.c.village_code],
        set_={**{k: table.c[k] + v for k, v in change_.items()}, **keep_names})
    db.session.execute(statement)

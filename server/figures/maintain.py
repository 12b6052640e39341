"""Keeping the figures current: an interview's contribution row is replaced, and its village's aggregate
row moves by the difference. Never a scan: the interview's row and its household's other rows are read,
and only the aggregate rows of the villages they are in move.

An interview (root instanceID) has one contribution, from its current submission; `counts` says whether
its status lets it into the figures (settings["count_statuses"]: by default clean and cleared, so an
interview awaiting review is left out and counted beside each figure). One household, one count
(`settle`): of the household's interviews the one that counts is the one whose status counts, then a real
interview before a refusal, then the later visit (start time), then the later instance id; the others
point to it (`duplicate_of`) and are left out as duplicates. Back-checks have no contribution.

`change`, `recount` and `settle` are pure (a contribution is a dict of its columns) and return the moves;
the worker keeps them for its batch (server/reconciliation/store.py). `update` and `follow_status` apply
them to the ORM rows and their aggregates at once (a supervisor's verdict or decision in a web request).
"""
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from server.infra.extensions import db
from server.figures.contribution import SUPERSEDED, counters, delta
from server.models.counters import AREA_COUNTERS, CONTRIBUTION_COUNTERS
from server.models import ClassificationReview, FigureArea, FigureContribution

AREA_CODES = ("county_code", "township_code", "village_code")
STATE = ("counts", "status", "household_id", "started_at", "duplicate_of")


def counts(submission, settings):
    """Whether the submission's status lets it into the figures: current, and a status that counts
    (never `excluded`)."""
    return bool(submission.current) and submission.review_status in (settings.get("count_statuses") or ())


def status_of(submission):
    return (submission.review_status or "") if submission.current else SUPERSEDED


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


def change(row, submission, classification, area, settings, reviews, household_id=None, started_at=None,
           substitute=False):
    """(new contribution dict, [(area, counter change)]) making `submission`'s contribution reflect
    `classification` in `area` (a dict of codes and names); `row` is the interview's current
    contribution dict, or None. The caller leaves an older version of an edited interview alone, and
    settles the household afterwards (`settle`)."""
    new_row = dict(row) if row is not None else {"id": None, "evaluation_id": submission.evaluation_id,
                                                 "root_instance_id": submission.root_instance_id,
                                                 "duplicate_of": None}
    new_row.update(submission_id=submission.id, **{k: area[k] for k in AREA_CODES},
                   **counters(classification, reviews, substitute), counts=counts(submission, settings),
                   status=status_of(submission), household_id=household_id, started_at=started_at)
    if row is not None and row.get("household_id") != household_id:
        new_row["duplicate_of"] = None
    return new_row, moves_between(row, new_row, area)


def moves_between(old, new, area=None):
    """[(area, counter change)] taking a row from `old` to `new` (either may be None); `area` gives the
    names of the new row's village when known."""
    if old is None and new is None:
        return []
    new_area = {**_area_of(new), **(area or {})} if new is not None else None
    if old is not None and new is not None and old["village_code"] != new["village_code"]:
        return [(_area_of(old), delta(old, None)), (new_area, delta(None, new))]
    return [(new_area if new is not None else _area_of(old), delta(old, new))]


def recount(row, now_counts, status=None):
    """(new contribution dict, moves) letting a contribution in or out of the figures (its interview's
    status changed)."""
    new_row = {**row, "counts": bool(now_counts), "status": status if status is not None else row["status"]}
    if new_row["counts"] == bool(row["counts"]) and new_row["status"] == row["status"]:
        return row, []
    return new_row, moves_between(row, new_row)


def winner_key(row):
    """Which interview of a household counts: status counts, a real interview, the later visit."""
    return (bool(row["counts"]) and row.get("status") != SUPERSEDED, not row.get("refused"),
            row.get("started_at") or "", row["root_instance_id"])


def settle(rows):
    """{root instance id: new row} of the household's rows (dicts) whose `duplicate_of` changes, so that
    exactly one of them counts for the household."""
    live = [r for r in rows if r.get("status") != SUPERSEDED]
    if not live:
        return {}
    winner = max(live, key=winner_key)["root_instance_id"]
    changed = {}
    for row in live:
        wanted = None if row["root_instance_id"] == winner else winner
        if row.get("duplicate_of") != wanted:
            changed[row["root_instance_id"]] = {**row, "duplicate_of": wanted}
    return changed


def household_rows(evaluation_id, household_id):
    """The ORM contribution rows of a household."""
    if household_id is None:
        return []
    return db.session.execute(select(FigureContribution).where(
        FigureContribution.evaluation_id == evaluation_id,
        FigureContribution.household_id == household_id)).scalars().all()


def update(submission, classification, area, settings, reviews=None, household_id=None, started_at=None,
           substitute=None):
    """`change` applied to the ORM contribution row and the village aggregates, now, then the household
    settled. An older version of an edited interview (not current) leaves the interview's contribution
    alone. Returns the row or None."""
    if not submission.current:
        return None
    row = contribution_of(submission.evaluation_id, submission.root_instance_id)
    before = as_dict(row)
    if substitute is None:
        substitute = bool(before and before.get("substitute"))
    values, moves = change(before, submission, classification, area, settings,
                           reviews if reviews is not None else reviews_of(submission.id),
                           household_id, started_at, substitute)
    if row is None:
        row = FigureContribution(evaluation_id=submission.evaluation_id,
                                 root_instance_id=submission.root_instance_id)
        db.session.add(row)
    _assign(row, values)
    _bump_all(submission.evaluation_id, moves)
    settle_rows(submission.evaluation_id, {household_id, before and before.get("household_id")})
    return row


def follow_status(row, now_counts, status):
    """`recount` applied to the ORM contribution row and its village aggregate, then its household
    settled again (which interview counts may have changed)."""
    values, moves = recount(as_dict(row), now_counts, status)
    _assign(row, values)
    _bump_all(row.evaluation_id, moves)
    settle_rows(row.evaluation_id, {row.household_id})


def set_counts(row, now_counts):
    follow_status(row, now_counts, row.status)


def settle_rows(evaluation_id, household_ids):
    """`settle` applied to the ORM rows of the households, now."""
    for household_id in household_ids - {None}:
        rows = {r.root_instance_id: r for r in household_rows(evaluation_id, household_id)}
        for root, new in settle([as_dict(r) for r in rows.values()]).items():
            _bump_all(evaluation_id, moves_between(as_dict(rows[root]), new))
            rows[root].duplicate_of = new["duplicate_of"]


COLUMNS = ("id", "evaluation_id", "root_instance_id", "submission_id", *AREA_CODES, *STATE,
           *CONTRIBUTION_COUNTERS)


def as_dict(row):
    """A contribution (ORM row or Core row) as the dict `change` takes; None stays None."""
    if row is None:
        return None
    return {name: getattr(row, name) for name in COLUMNS}


def _assign(row, values):
    for name in ("submission_id", *AREA_CODES, *STATE, *CONTRIBUTION_COUNTERS):
        setattr(row, name, values[name])


def _area_of(row):
    return {name: row[name] for name in AREA_CODES}


def _bump_all(evaluation_id, moves):
    for moved, counter_change in moves:
        bump(evaluation_id, moved, counter_change)


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
        township_code=area["township_code"], **names, **{**dict.fromkeys(AREA_COUNTERS, 0), **change_})
    # Names fill in when known (a non-registered household's interview may not know them).
    keep_names = {k: func.coalesce(func.nullif(statement.excluded[k], ""), table.c[k]) for k in names}
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.evaluation_id, table.c.village_code],
        set_={**{k: table.c[k] + v for k, v in change_.items()}, **keep_names})
    db.session.execute(statement)

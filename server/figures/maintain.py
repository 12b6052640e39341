"""Keeping the figures current: an interview's contribution row is replaced, and its village's aggregate
row moves by the difference, in the caller's transaction. Never a scan: one row read, at most two
aggregate rows written (the old and the new village when an interview moves).

An interview (root instanceID) has one contribution, from its current submission; `counts` says whether
its status lets it into the figures (settings["count_statuses"]).
"""
from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from server.extensions import db
from server.figures.contribution import counters, delta
from server.figures.counters import COUNTERS
from server.models import ClassificationReview, FigureArea, FigureContribution


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


_UNKNOWN = object()


def update(submission, classification, area, settings, reviews=None, contribution=_UNKNOWN):
    """Make `submission`'s contribution reflect `classification` in `area` (a dict of codes and names).

    An older version of an edited interview (not current) leaves the interview's contribution alone.
    `contribution` is the interview's current row (or None) when the caller has read it already.
    Returns the contribution row, or None.
    """
    if not submission.current:
        return None
    row = (contribution_of(submission.evaluation_id, submission.root_instance_id)
           if contribution is _UNKNOWN else contribution)
    old = _values(row) if row is not None and row.counts else None
    old_area = _area_of(row) if row is not None else None
    new_values = counters(classification, reviews if reviews is not None else reviews_of(submission.id))
    if row is None:
        row = FigureContribution(evaluation_id=submission.evaluation_id,
                                 root_instance_id=submission.root_instance_id)
        db.session.add(row)
    row.submission_id = submission.id
    row.county_code, row.township_code, row.village_code = (area["county_code"], area["township_code"],
                                                            area["village_code"])
    for name in COUNTERS:
        setattr(row, name, new_values[name])
    row.counts = counts(submission, settings)
    new = new_values if row.counts else None
    if old_area is not None and old_area["village_code"] != area["village_code"]:
        bump(submission.evaluation_id, old_area, delta(old, None))
        old = None
    bump(submission.evaluation_id, area, delta(old, new))
    return row


def set_counts(row, now_counts):
    """Let a contribution in or out of the figures (its interview's status changed)."""
    if bool(row.counts) == bool(now_counts):
        return
    values = _values(row)
    row.counts = bool(now_counts)
    bump(row.evaluation_id, _area_of(row), delta(None, values) if now_counts else delta(values, None))


def _values(row):
    return {name: getattr(row, name) or 0 for name in COUNTERS}


def _area_of(row):
    return {"county_code": row.county_code, "township_code": row.township_code,
            "village_code": row.village_code}


def bump(evaluation_id, area, change):
    """Add `change` to the village's aggregate row: now, or at the end of the worker's batch."""
    change = {k: v for k, v in change.items() if v}
    if not change:
        return
    if not DEFERRED.add(evaluation_id, area, change):
        _upsert(evaluation_id, area, change)


class DeferredDeltas:
    """Within a worker batch, village deltas add up in memory and are written once per village before
    the batch commits: one upsert per village instead of one per interview. An event whose steps
    fail (its savepoint rolled back) takes its deltas with it."""

    _BATCH, _EVENT = "fieldcheck.figures.batch", "fieldcheck.figures.event"

    def begin_batch(self):
        db.session.info[self._BATCH] = {}

    def begin_event(self):
        if self._BATCH in db.session.info:
            db.session.info[self._EVENT] = {}

    def end_event(self, succeeded):
        pending = db.session.info.pop(self._EVENT, None)
        if succeeded and pending:
            batch = db.session.info[self._BATCH]
            for key, (area, change) in pending.items():
                _merge(batch, key, area, change)

    def add(self, evaluation_id, area, change):
        pending = db.session.info.get(self._EVENT)
        if pending is None:
            return False
        _merge(pending, (evaluation_id, area["village_code"]), area, change)
        return True

    def flush_batch(self):
        batch = db.session.info.pop(self._BATCH, None) or {}
        for (evaluation_id, _village), (area, change) in batch.items():
            change = {k: v for k, v in change.items() if v}
            if change:
                _upsert(evaluation_id, area, change)


def _merge(into, key, area, change):
    known_area, total = into.setdefault(key, (dict(area), {}))
    for name in ("county", "township", "village"):
        if area.get(name) and not known_area.get(name):
            known_area[name] = area[name]
    for name, value in change.items():
        total[name] = total.get(name, 0) + value


DEFERRED = DeferredDeltas()


def _upsert(evaluation_id, area, change):
    """One upsert statement: the village's aggregate row, created on first use, moves by `change`."""
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    table = FigureArea.__table__
    names = {k: (area.get(k) or "")[:100] for k in ("county", "township", "village")}
    statement = dialect.insert(table).values(
        evaluation_id=evaluation_id, village_code=area["village_code"], county_code=area["county_code"],
        township_code=area["township_code"], **names, **{**dict.fromkeys(COUNTERS, 0), **change})
    # Names fill in when known (a non-registered household's interview may not know them).
    keep_names = {k: func.coalesce(func.nullif(statement.excluded[k], ""), table.c[k]) for k in names}
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.evaluation_id, table.c.village_code],
        set_={**{k: table.c[k] + v for k, v in change.items()}, **keep_names})
    db.session.execute(statement)

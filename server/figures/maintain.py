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


def update(submission, classification, area, settings, reviews=None):
    """Make `submission`'s contribution reflect `classification` in `area` (a dict of codes and names).

    An older version of an edited interview (not current) leaves the interview's contribution alone.
    Returns the contribution row, or None.
    """
    if not submission.current:
        return None
    row = contribution_of(submission.evaluation_id, submission.root_instance_id)
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
    """Add `change` to the village's aggregate row (created on first use): one upsert statement."""
    change = {k: v for k, v in change.items() if v}
    if not change:
        return
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

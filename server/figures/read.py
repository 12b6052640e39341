"""Reading the figures: sums of the per-village aggregate rows (at most one row per village of the
evaluation), never the interviews. Levels: evaluation, county, township, village.
"""
from sqlalchemy import func, select

from server.errors import Problem
from server.extensions import db
from server.figures import rates
from server.figures.counters import COUNTERS
from server.models import FigureArea
from server.reconciliation.settings import effective

LEVELS = ("evaluation", "county", "township", "village")
_CODE = {"county": "county_code", "township": "township_code", "village": "village_code"}
_NAMES = {"county": ("county",), "township": ("county", "township"),
          "village": ("county", "township", "village")}


def counters_by_area(evaluation_id, level, area=None):
    """[(code, names dict, counters dict)] per area of `level`, optionally within the area code `area`."""
    table = FigureArea.__table__
    sums = [func.coalesce(func.sum(table.c[name]), 0).label(name) for name in COUNTERS]
    query = select(*sums).where(table.c.evaluation_id == evaluation_id)
    if area:
        query = query.where(_within(table, area))
    if level == "evaluation":
        row = db.session.execute(query).one()
        return [("", {}, {name: int(row._mapping[name]) for name in COUNTERS})]
    code = table.c[_CODE[level]]
    names = [func.max(table.c[n]).label(n) for n in _NAMES[level]]
    query = query.add_columns(code.label("code"), *names).group_by(code).order_by(code)
    rows = db.session.execute(query).all()
    return [(r.code, {n: r._mapping[n] for n in _NAMES[level]}, {c: int(r._mapping[c]) for c in COUNTERS})
            for r in rows]


def _within(table, area):
    column = {6: "county_code", 9: "township_code", 12: "village_code"}.get(len(area))
    if column is None:
        raise Problem("figures.bad_area", "An area is a 6-, 9- or 12-digit county, township or village code.",
                      422)
    return table.c[column] == area


def figures(evaluation, level="county", area=None):
    """The figures document: the level, the stated assumptions, and per area its counters and figures."""
    if level not in LEVELS:
        raise Problem("figures.bad_level", f"level must be one of {', '.join(LEVELS)}", 422)
    settings = effective(evaluation.settings)
    areas = [{"level": level, "code": code or None, "names": names, "interviews": c["interviews"],
              "counters": c, "figures": list(rates.figures(c, settings).values())}
             for code, names, c in counters_by_area(evaluation.id, level, area)]
    return {"evaluation": evaluation.code, "level": level, "assumptions": rates.assumptions(settings),
            "count_statuses": settings["count_statuses"], "areas": areas}

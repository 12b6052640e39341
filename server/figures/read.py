"""Reading the figures: sums of the per-village aggregate rows (at most one row per village of the
evaluation), never the interviews. Levels: evaluation, county, township, village.

The document describes itself (the dashboard shows it as it is): per figure its numerator, denominator,
population and denominator rules and the interviews of its population left out, by reason; per area the
fieldwork (visited, refused, substitutes); and the counting policy in force. Interviews whose place is not
one of the evaluation's villages (an unknown card with an unknown village) are in the area with code None
and `placed` false: an answer never creates geography. Encrypted interviews no decryption run has opened
have no place either: the one count besides the aggregates (`encrypted_not_checked`, on the status index)
is left out of every figure of the whole evaluation and of its area that is not placed.
"""
from sqlalchemy import func, select

from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.figures import rates
from server.models.counters import AREA_COUNTERS as COUNTERS
from server.models import FigureArea, Form, FormVersion, Submission
from server.evaluation_settings.reconciliation import effective

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
    # An area whose interviews all moved away (a linked interview) sums to nothing: it is not shown.
    return [(r.code, {n: r._mapping[n] for n in _NAMES[level]}, {c: int(r._mapping[c]) for c in COUNTERS})
            for r in rows if any(r._mapping[c] for c in COUNTERS)]


def _within(table, area):
    column = {6: "county_code", 9: "township_code", 12: "village_code"}.get(len(area))
    if column is None:
        raise Problem("figures.bad_area", msg("An area is a 6-, 9- or 12-digit county, township or village "
                                              "code."), 422)
    return table.c[column] == area


def encrypted_not_checked(evaluation_id, settings):
    """Current encrypted interviews not checked yet (no status): counted nowhere until a decryption run
    opens them. Back-checks are left aside (they never count); read on the status index."""
    query = (select(func.count()).select_from(Submission)
             .join(FormVersion, FormVersion.id == Submission.form_version_id)
             .join(Form, Form.id == FormVersion.form_id)
             .where(Submission.evaluation_id == evaluation_id, Submission.current.is_(True),
                    Submission.review_status.is_(None), Submission.encrypted.is_(True),
                    Form.xml_form_id != settings["backcheck"]["form_id"]))
    return db.session.execute(query).scalar() or 0


def figures(evaluation, level="county", area=None):
    """The figures document: the level, the stated assumptions, and per area its counters and figures."""
    if level not in LEVELS:
        raise Problem("figures.bad_level",
                      msg("The level is one of %(choices)s.", choices=", ".join(LEVELS)), 422)
    settings = effective(evaluation.settings)
    encrypted = encrypted_not_checked(evaluation.id, settings)
    rows = counters_by_area(evaluation.id, level, area)
    if encrypted and not area:
        rows = _with_unplaced(rows, encrypted)
    areas = [{"level": level, "code": code or None, "placed": bool(code) or level == "evaluation",
              "names": names, "interviews": c["interviews"], "counters": c,
              "fieldwork": rates.fieldwork(c), "figures": list(rates.figures(c, settings).values())}
             for code, names, c in rows]
    return {"evaluation": evaluation.code, "level": level, "assumptions": rates.assumptions(settings),
            "count_statuses": settings["count_statuses"], "policy": rates.policy(settings),
            rates.ENCRYPTED: encrypted, "areas": areas}


def _with_unplaced(rows, encrypted):
    """The rows with the encrypted interviews in the area without a code: the whole evaluation's, or the
    area not placed (added when no interview is there yet)."""
    out, found = [], False
    for code, names, c in rows:
        if not code:
            c, found = {**c, rates.ENCRYPTED: encrypted}, True
        out.append((code, names, c))
    if not found:
        out.append(("", {}, {**dict.fromkeys(COUNTERS, 0), rates.ENCRYPTED: encrypted}))
    return out

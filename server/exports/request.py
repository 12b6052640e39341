"""What an export asks for, checked before any job starts: every mistake is a 400 with a clear message.

The filters are those of the interview table (status, rule, enumerator, village, interview days).
"""
from datetime import date

from sqlalchemy import select

from server.exports.records import UNCHECKED
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Enumerator, Form
from server.recusal.status import STATUSES

FORMATS = ("csv", "xlsx", "zip", "sav", "dta")
LABEL_LANGUAGES = ("zh-Hans", "en")
TABLE_FORMATS = ("csv", "xlsx")  # what a ZIP holds besides media
FILTER_STATUSES = STATUSES + (UNCHECKED,)


def checked(evaluation, body):
    """The export parameters from a request body (dict), normalised; raises Problem export.* (400)."""
    body = dict(body or {})
    form = _form(evaluation, body.pop("form", None) or body.pop("form_id", None))
    fmt = body.pop("format", "csv")
    if fmt not in FORMATS:
        raise _bad("export.bad_format", msg("The format is one of %(choices)s, not %(value)r.",
                                            choices=", ".join(FORMATS), value=fmt))
    labels = body.pop("labels", "zh-Hans")
    if labels not in LABEL_LANGUAGES:
        raise _bad("export.bad_labels", msg("The labels are one of %(choices)s, not %(value)r.",
                                            choices=", ".join(LABEL_LANGUAGES), value=labels))
    tables = body.pop("tables", "csv")
    if tables not in TABLE_FORMATS:
        raise _bad("export.bad_tables", msg("The tables inside a ZIP are csv or xlsx, not %(value)r.",
                                            value=tables))
    params = {"form_id": form.xml_form_id, "format": fmt, "labels": labels, "tables": tables,
              "bom": _flag(body.pop("bom", False), "bom"),
              "filters": _filters(evaluation, body.pop("filters", None) or {})}
    body.pop("private_key", None)
    body.pop("passphrase", None)
    if body:
        raise _bad("export.unknown_parameter", msg("Unknown parameter(s): %(names)s.",
                                                   names=", ".join(sorted(body))))
    return form, params


def _form(evaluation, form_id):
    if not form_id:
        raise _bad("export.missing_form", msg("Name the form to export (its form_id)."))
    form = db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id,
                                                 Form.xml_form_id == str(form_id))).scalar()
    if form is None:
        raise _bad("export.unknown_form", msg("This evaluation has no form %(form_id)r.", form_id=form_id))
    return form


def _filters(evaluation, raw):
    if not isinstance(raw, dict):
        raise _bad("export.bad_filters", msg("The filters are a JSON object."))
    raw = dict(raw)
    out = {}
    statuses = _statuses(raw.pop("status", None))
    if statuses:
        out["status"] = statuses
    for name in ("date_from", "date_to"):
        value = raw.pop(name, None) or raw.pop(name.replace("date_", ""), None)
        if value:
            out[name] = _date(value, name)
    if out.get("date_from") and out.get("date_to") and out["date_from"] > out["date_to"]:
        raise _bad("export.bad_date", msg("date_from %(start)s is after date_to %(end)s.",
                                          start=out["date_from"], end=out["date_to"]))
    for name in ("village", "rule"):
        if raw.get(name):
            out[name] = str(raw.pop(name))
    if raw.get("enumerator"):
        out["enumerator"] = _enumerator(evaluation, str(raw.pop("enumerator")))
    leftover = [k for k, v in raw.items() if v not in (None, "")]
    if leftover:
        raise _bad("export.bad_filters",
                   msg("Unknown filter(s): %(names)s.", names=", ".join(sorted(leftover))))
    return out


def _statuses(status):
    if not status:
        return None
    statuses = status.split(",") if isinstance(status, str) else list(status)
    unknown = [s for s in statuses if s not in FILTER_STATUSES]
    if unknown:
        raise _bad("export.bad_status", msg("Unknown status %(value)r: use %(choices)s.", value=unknown[0],
                                            choices=", ".join(FILTER_STATUSES)))
    return sorted(set(statuses))


def _date(value, name):
    try:
        return date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise _bad("export.bad_date", msg("%(name)s is a date written YYYY-MM-DD, not %(value)r.", name=name,
                                          value=value)) from None


def _enumerator(evaluation, username):
    known = db.session.execute(select(Enumerator.id).where(Enumerator.evaluation_id == evaluation.id,
                                                           Enumerator.username == username)).scalar()
    if known is None:
        raise _bad("export.unknown_enumerator", msg("This evaluation has no enumerator %(username)r.",
                                                    username=username))
    return username


def _flag(value, name):
    if isinstance(value, bool):
        return value
    if str(value).lower() in ("1", "yes", "true"):
        return True
    if str(value).lower() in ("0", "no", "false", ""):
        return False
    raise _bad("export.bad_parameter", msg("%(name)s is true or false.", name=name))


def _bad(code, message):
    return Problem(code, message, 400)

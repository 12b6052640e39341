"""One interview's answers as people read them: the form's question and choice labels in a language,
grouped as the form groups them, repeats as tables, media answers linked to their attachments.

Reads the FormVersion's field list and XForm (labels) and the submission's answers document.
"""
from functools import lru_cache

from forms.labels import pick, question_labels
from server.submissions import sealed
from server.submissions.answers import MEDIA_TYPES
from server.infra.extensions import db
from server.models import FormVersion

META = "meta"
HIDDEN = ("note", "instanceID")  # a note has no answer; the instance id is in the page's heading


@lru_cache(maxsize=64)
def _labels(xform):
    # Read once per XForm, keyed by the XForm itself, not the version's id: a process that meets several
    # databases (the test suite) must never show one database's labels for another's version 1.
    return question_labels(xform)


def sheet(submission, language, type_labels=None):
    """[{path, label, rows, tables}] in the form's order. A row is {label, value, media, kind}; a table
    (a repeat) is {label, columns, rows}. `type_labels` names unlabelled metadata by type ("start": ...)."""
    version = db.session.get(FormVersion, submission.form_version_id)
    labels = _labels(version.xml)
    data = (sealed.opened(submission.answers) or {}).get("data") or {}
    root = _root(version.fields)
    sections, tables = {}, {}
    for field in version.fields:
        if field["type"] in HIDDEN:
            continue
        group = _section_of(field, root)
        section = sections.setdefault(group, {"path": group, "label": _group_label(labels, group, language),
                                              "rows": [], "tables": []})
        if field.get("repeat"):
            _repeat_column(section, tables, field, labels, language, data, root)
            continue
        value = data.get(field["path"][len(root) + 1:])
        if field["type"] == "calculate" and value in (None, ""):
            continue  # an empty helper value says nothing to a reader
        section["rows"].append(_row(field, labels, language, value, type_labels or {}))
    return [s for s in sections.values() if s["rows"] or s["tables"]]


def _root(fields):
    return "/" + fields[0]["path"].split("/")[1] if fields else "/data"


def _section_of(field, root):
    """The top-level group under the form root ('meta' for questions outside any group)."""
    parts = field["path"][len(root) + 1:].split("/")
    return f"{root}/{parts[0]}" if len(parts) > 1 else META


def _group_label(labels, path, language):
    return pick(labels.get(path), language, "") if path != META else ""


def _row(field, labels, language, value, type_labels):
    kind = field["type"]
    fallback = type_labels.get(kind, field["name"])
    return {"label": pick(labels.get(field["path"]), language, fallback), "name": field["name"],
            "kind": kind, "value": display(field, value, language),
            "media": value if kind in MEDIA_TYPES and value else None}


def _repeat_column(section, tables, field, labels, language, data, root):
    repeat = field["repeat"]
    if repeat not in tables:
        items = data.get(repeat[len(root) + 1:]) or []
        tables[repeat] = {"label": pick(labels.get(repeat), language, repeat.rsplit("/", 1)[-1]),
                          "columns": [], "rows": [[] for _ in items], "items": items}
        section["tables"].append(tables[repeat])
    table = tables[repeat]
    table["columns"].append(pick(labels.get(field["path"]), language, field["name"]))
    key = field["path"][len(repeat) + 1:]
    for cells, item in zip(table["rows"], table["items"]):
        cells.append(display(field, (item or {}).get(key), language))


def display(field, value, language):
    """An answer as text: choice labels for selects, 'lat, lon ±m' for a point, '' when unanswered."""
    if value is None or value == "":
        return ""
    choices = {c["name"]: c.get("label") for c in field.get("choices") or ()}
    if field["type"] == "select_one":
        return pick(choices.get(str(value)), language, str(value))
    if field["type"] in ("select_multiple", "rank") and isinstance(value, list):
        return "、".join(pick(choices.get(str(v)), language, str(v)) for v in value)
    if field["type"] == "geopoint" and isinstance(value, dict):
        accuracy = f" ±{value['accuracy']:g} m" if isinstance(value.get("accuracy"), (int, float)) else ""
        return f"{value.get('lat')}, {value.get('lon')}{accuracy}"
    return str(value)

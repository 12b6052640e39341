"""The tables and columns of an export, merged over every version of a form. Pure.

The shape follows ODK Central's CSV export, which analysts know: one main table and one table per repeat,
linked by PARENT_KEY/KEY; group paths in column names joined with "-"; a select-multiple both as the
space-separated value and as one 0/1 column per choice ("q/choice"); a GPS point split into
Latitude/Longitude/Altitude/Accuracy. Fields of the newest version come first, in form order; fields that
only older versions had follow, so every version's answers have a column.
"""
from dataclasses import dataclass, field

from forms.labels import pick

SKIPPED_TYPES = ("note",)
GPS_PARTS = (("Latitude", "lat", "纬度"), ("Longitude", "lon", "经度"), ("Altitude", "alt", "海拔"),
             ("Accuracy", "accuracy", "精度"))
MEDIA_TYPES = ("image", "audio", "video", "file")


@dataclass(frozen=True)
class Column:
    """One column: its header, where its value comes from, and its label row entry."""

    name: str
    key: str                # the answer's key in its table's dict (answers document)
    kind: str               # value, choice (0/1 of `part`), gps (the `part` of a point), meta
    field_type: str = ""
    part: str = ""
    label: dict = field(default_factory=dict, hash=False, compare=False)
    choices: tuple = ()     # ((value, {lang: label}), ...) for value labels (SPSS, Stata)


@dataclass
class Table:
    """The main table (path None) or one repeat's table."""

    name: str
    path: str | None
    key: str                 # the repeat's key in its parent table's dict ("" for the main table)
    parent: str | None       # the parent table's path (None: the main table)
    columns: list = field(default_factory=list)


def build(versions, main_name):
    """Tables for `versions` (newest first: dicts with "fields" and "labels"), the main one first."""
    root = _root_of(versions)
    tables = {None: Table(main_name, None, "", None)}
    seen = set()
    for version in versions:
        for spec in version["fields"]:
            if spec["path"] in seen or spec["type"] in SKIPPED_TYPES:
                continue
            seen.add(spec["path"])
            table = _table_for(tables, spec.get("repeat"), root, main_name, versions)
            table.columns.extend(_columns(spec, table.path or root, version["labels"].get(spec["path"], {})))
    return [tables[None]] + [t for p, t in tables.items() if p is not None]


def _root_of(versions):
    for version in versions:
        for spec in version["fields"]:
            return "/" + spec["path"].split("/")[1]
    return "/data"


def _table_for(tables, repeat, root, main_name, versions):
    if repeat in tables:
        return tables[repeat]
    parent = _parent_repeat(repeat, versions)
    _table_for(tables, parent, root, main_name, versions)
    base = parent or root
    tables[repeat] = Table(f"{main_name}-{repeat.rsplit('/', 1)[-1]}", repeat, repeat[len(base) + 1:], parent)
    return tables[repeat]


def _parent_repeat(repeat, versions):
    """The repeat that encloses `repeat` (nested repeats), or None."""
    known = {s.get("repeat") for v in versions for s in v["fields"] if s.get("repeat")}
    enclosing = [r for r in known if repeat.startswith(r + "/")]
    return max(enclosing, key=len) if enclosing else None


def _columns(spec, base, labels):
    key = spec["path"][len(base) + 1:]
    name = key.replace("/", "-")
    kind = spec["type"]
    choices = tuple((c["name"], c.get("label") or {}) for c in spec.get("choices") or ())
    if kind == "geopoint":
        return [Column(f"{name}-{header}", key, "gps", kind, part, _suffixed(labels, zh, header))
                for header, part, zh in GPS_PARTS]
    columns = [Column(name, key, "value", kind, label=labels, choices=choices)]
    if kind == "select_multiple":
        columns += [Column(f"{name}/{value}", key, "choice", kind, value, _choice_label(labels, label))
                    for value, label in choices]
    return columns


def _suffixed(labels, zh, en):
    return {code: f"{text} ({zh if code.startswith('zh') else en})" for code, text in labels.items()} or \
        {"zh": zh, "en": en}


def _choice_label(question, choice):
    codes = set(question) | set(choice)
    return {code: f"{question.get(code, '')}: {choice.get(code) or pick(choice, code)}".strip(": ")
            for code in codes}

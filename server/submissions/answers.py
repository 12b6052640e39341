"""The answers document: a submission's XML parsed into typed values, by the form version's field list.

Groups are flattened into slash paths relative to the form root ("place/province"), repeats become
lists of such dicts (keys relative to the repeat), select-multiples lists, GPS numbers, media
answers file names that are linked to the submission's attachments. Pure: no database, no Flask.
"""
import math
import re
from datetime import date, datetime, time
from functools import lru_cache

from lxml import etree

from server.infra.errors import Problem
from server.infra.i18n import msg

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                          remove_pis=True, load_dtd=False)
MEDIA_TYPES = ("image", "audio", "video", "file")
MAX_XML_BYTES = 16 * 1024 * 1024


def parse_answers(xml, fields, attachment_names=()):
    """Parse submission `xml` (bytes or str) typed by `fields` (FormVersion.fields dicts).

    Returns {"data": {...}, "attachments": [{"path", "name", "present"}], "unknown": [paths]}.
    Raises Problem submission.unparseable for XML that cannot be read, submission.invalid_answer
    (every bad value in its details) for answers that are not of their question's type: a NaN or an
    infinite decimal, an integer beyond 32 bits, a date that does not exist, a geopoint off the globe.
    """
    root = _parse(xml)
    by_path = {f["path"]: f for f in fields}
    repeats = {f["repeat"] for f in fields if f.get("repeat")}
    walker = _Walker(by_path, repeats, set(attachment_names))
    base = "/" + etree.QName(root).localname
    data = walker.group(root, base, base)
    if walker.invalid:
        raise _invalid_answers(walker.invalid)
    return {"data": data, "attachments": walker.attachments, "unknown": sorted(walker.unknown)}


def _parse(xml):
    raw = xml.encode("utf-8") if isinstance(xml, str) else xml
    if len(raw) > MAX_XML_BYTES:
        raise Problem("submission.unparseable", msg("The submission XML is too large to parse."), 422)
    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise Problem("submission.unparseable",
                      msg("The submission XML declares a DOCTYPE or entities."), 422)
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as error:
        raise Problem("submission.unparseable", msg("The submission XML cannot be parsed: %(error)s",
                                                    error=str(error)), 422) from None


class _Walker:
    def __init__(self, by_path, repeats, attachment_names):
        self.by_path, self.repeats, self.names = by_path, repeats, attachment_names
        self.attachments, self.unknown, self.invalid = [], set(), []

    def group(self, element, path, base, into=None):
        """Flatten a group's leaves into `into` with keys relative to `base` (the form or a repeat)."""
        into = {} if into is None else into
        for child in element:
            if not isinstance(child.tag, str):
                continue
            child_path = f"{path}/{etree.QName(child).localname}"
            key = child_path[len(base) + 1:]
            if child_path in self.repeats:
                into.setdefault(key, []).append(self.group(child, child_path, child_path))
            elif len(child):
                self.group(child, child_path, base, into)
            else:
                into[key] = self.leaf(child, child_path, base)
        return into

    def leaf(self, element, path, base):
        field = self.by_path.get(path)
        if field is None:
            self.unknown.add(path)
        kind = field["type"] if field else "text"
        text = (element.text or "").strip()
        try:
            value = _typed(text, kind)
        except ValueError:
            self.invalid.append({"path": path, "type": kind, "value": text[:100]})
            return None
        if field and kind in MEDIA_TYPES and value:
            self.attachments.append({"path": path, "name": value, "present": value in self.names})
        return value


def _invalid_answers(invalid):
    shown = "; ".join(f"{i['path']} ({i['type']}): {i['value']!r}" for i in invalid[:5])
    return Problem("submission.invalid_answer",
                   msg("%(count)d answer(s) are not valid for their question type: %(shown)s",
                       count=len(invalid), shown=shown), 422, details=invalid[:50])


def _typed(text, kind):
    """The value of `text` for an XForm type; ValueError if it is not one (Collect never sends such)."""
    if text == "":
        return None
    return _CONVERTERS.get(kind, str)(text)


_INTEGER = re.compile(r"^[+-]?[0-9]+$")
_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
INT_MIN, INT_MAX = -2 ** 31, 2 ** 31 - 1  # XForms int is JavaRosa's 32-bit int


def _integer(text):
    if not _INTEGER.match(text):
        raise ValueError(text)
    value = int(text)
    if not INT_MIN <= value <= INT_MAX:
        raise ValueError(text)
    return value


def _decimal(text):
    value = float(text)
    if not math.isfinite(value):  # NaN, Infinity, or beyond a double (1e400): JSON carries none of them
        raise ValueError(text)
    return value


def _date(text):
    if not _DATE.match(text):
        raise ValueError(text)
    date.fromisoformat(text)  # the day must exist (no 2月30日)
    return text


def _datetime(text):
    datetime.fromisoformat(text)
    return text


def _time(text):
    time.fromisoformat(text)
    return text


def _geopoint(text):
    parts = [_decimal(p) for p in text.split()]
    if not 2 <= len(parts) <= 4 or not (-90 <= parts[0] <= 90 and -180 <= parts[1] <= 180):
        raise ValueError(text)
    point = {"lat": parts[0], "lon": parts[1]}
    if len(parts) > 2:
        point["alt"] = parts[2]
    if len(parts) > 3:
        if parts[3] < 0:
            raise ValueError(text)
        point["accuracy"] = parts[3]
    return point


def _points(text):
    return [_geopoint(p) for p in text.split(";") if p.strip()]


def _number(text):
    value = _decimal(text)
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


_CONVERTERS = {
    "integer": _integer, "decimal": _decimal, "range": _number, "select_multiple": str.split,
    "rank": str.split, "geopoint": _geopoint, "geotrace": _points, "geoshape": _points,
    "date": _date, "today": _date, "datetime": _datetime, "start": _datetime, "end": _datetime,
    "time": _time,
}


def value_at(data, path):
    """The value at a contract path ("/data/group/q" or "group/q") in an answers document's data."""
    return data.get(data_key(path))


@lru_cache(maxsize=4096)
def data_key(path):
    """The key of contract path `path` in an answers document's data (the same few paths, many times)."""
    parts = path.lstrip("/").split("/")
    return "/".join(parts[1:]) if path.startswith("/") else path

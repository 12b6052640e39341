"""The answers document: a submission's XML parsed into typed values, by the form version's field list.

Groups are flattened into slash paths relative to the form root ("place/province"), repeats become
lists of such dicts (keys relative to the repeat), select-multiples lists, GPS numbers, media
answers file names that are linked to the submission's attachments. Pure: no database, no Flask.
"""
from functools import lru_cache

from lxml import etree

from server.errors import Problem

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, remove_comments=True,
                          remove_pis=True, load_dtd=False)
MEDIA_TYPES = ("image", "audio", "video", "file")
MAX_XML_BYTES = 16 * 1024 * 1024


def parse_answers(xml, fields, attachment_names=()):
    """Parse submission `xml` (bytes or str) typed by `fields` (FormVersion.fields dicts).

    Returns {"data": {...}, "attachments": [{"path", "name", "present"}], "unknown": [paths]}.
    Raises Problem submission.unparseable for XML that cannot be read.
    """
    root = _parse(xml)
    by_path = {f["path"]: f for f in fields}
    repeats = {f["repeat"] for f in fields if f.get("repeat")}
    walker = _Walker(by_path, repeats, set(attachment_names))
    base = "/" + etree.QName(root).localname
    data = walker.group(root, base, base)
    return {"data": data, "attachments": walker.attachments, "unknown": sorted(walker.unknown)}


def _parse(xml):
    raw = xml.encode("utf-8") if isinstance(xml, str) else xml
    if len(raw) > MAX_XML_BYTES:
        raise Problem("submission.unparseable", "The submission XML is too large to parse.", 422)
    if b"<!DOCTYPE" in raw[:4096].upper() or b"<!ENTITY" in raw.upper():
        raise Problem("submission.unparseable", "The submission XML declares a DOCTYPE or entities.", 422)
    try:
        return etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError as error:
        message = f"The submission XML cannot be parsed: {error}"
        raise Problem("submission.unparseable", message, 422) from None


class _Walker:
    def __init__(self, by_path, repeats, attachment_names):
        self.by_path, self.repeats, self.names = by_path, repeats, attachment_names
        self.attachments, self.unknown = [], set()

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
        value = _typed((element.text or "").strip(), field["type"] if field else "text")
        if field and field["type"] in MEDIA_TYPES and value:
            self.attachments.append({"path": path, "name": value, "present": value in self.names})
        return value


def _typed(text, kind):
    if text == "":
        return None
    try:
        return _CONVERTERS.get(kind, str)(text)
    except (ValueError, IndexError):
        return text  # keep what the phone sent; the checks report values they cannot read


def _geopoint(text):
    parts = [float(p) for p in text.split()]
    point = {"lat": parts[0], "lon": parts[1]}
    if len(parts) > 2:
        point["alt"] = parts[2]
    if len(parts) > 3:
        point["accuracy"] = parts[3]
    return point


def _points(text):
    return [_geopoint(p) for p in text.split(";") if p.strip()]


def _number(text):
    value = float(text)
    return int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value


_CONVERTERS = {
    "integer": int, "decimal": float, "range": _number, "select_multiple": str.split, "rank": str.split,
    "geopoint": _geopoint, "geotrace": _points, "geoshape": _points,
}


def value_at(data, path):
    """The value at a contract path ("/data/group/q" or "group/q") in an answers document's data."""
    return data.get(data_key(path))


@lru_cache(maxsize=4096)
def data_key(path):
    """The key of contract path `path` in an answers document's data (the same few paths, many times)."""
    parts = path.lstrip("/").split("/")
    return "/".join(parts[1:]) if path.startswith("/") else path

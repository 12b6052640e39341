"""The files a compiled form needs on the phone, found every way ODK Collect reads them.

Collect downloads a form's media into one folder and resolves each reference by its bare
file name (the last segment of the jr:// URI), exactly as written, so a manifest must list
each name exactly as the form writes it. References come from:

- itext values with form="image|big-image|audio|video" (labels, hints, choices, media::* columns);
- default values of the primary instance that are jr:// URIs (an image question's default);
- <instance src="jr://file/...|jr://file-csv/..."> (select_*_from_file CSV/XML/GeoJSON,
  pulldata(), csv-external and instance('name') lookups);
- pulldata('name', ...) in any bind or control attribute, which reads name.csv;
- search('name', ...) appearances of select controls, which read name.csv (the image of such
  a select's configuration choice names a column of that CSV, so it is no file);
- <input query="..."> (select_one_external), which reads itemsets.csv; pyxform makes that
  file from the external_choices sheet and fieldcheck stores it with the form, as Central does.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from lxml import etree

ITEMSETS = "itemsets.csv"
_JR = re.compile(r"^jr://(images|audio|video|file|file-csv)/(.+)$")
_KIND_OF_SCHEME = {"images": "image", "audio": "audio", "video": "video", "file": "file", "file-csv": "file"}
_MEDIA_FORMS = {"image": "image", "big-image": "image", "audio": "audio", "video": "video"}
_SEARCH = re.compile(r"""\bsearch\s*\(\s*(["'])(.*?)\1""")
_PULLDATA = re.compile(r"""\bpulldata\s*\(\s*(["'])(.*?)\1""")
_ITEXT = re.compile(r"""^\s*jr:itext\(\s*(["'])(.*?)\1\s*\)\s*$""")
XF = "{http://www.w3.org/2002/xforms}"
ENTITIES_NS = "http://www.opendatakit.org/xforms/entities"


@dataclass(frozen=True)
class MediaRef:
    """One file the form needs: its exact name, kind (image/audio/video/file) and how it is used."""

    filename: str
    kind: str
    via: str   # label, hint, choice, default, instance, pulldata, search, itemsets

    def to_dict(self) -> dict:
        return {"filename": self.filename, "kind": self.kind, "via": self.via}


def jr_name(uri: str) -> tuple[str, str] | None:
    """('image', 'My Photo.png') for 'jr://images/My Photo.png'; None for anything else."""
    m = _JR.match((uri or "").strip())
    if not m:
        return None
    name = m.group(2).rstrip("/").rsplit("/", 1)[-1].strip()
    return (_KIND_OF_SCHEME[m.group(1)], name) if name else None


def references(doc: etree._Element) -> tuple[MediaRef, ...]:
    """Every file `doc` (a parsed XForm) needs, first use of each name kept, in form order."""
    model = doc.find(f"{{http://www.w3.org/1999/xhtml}}head/{XF}model")
    instances = model.findall(f"{XF}instance")
    found: dict[str, MediaRef] = {}
    for name, kind, via in (*_itext_refs(model, _search_columns(doc)), *_default_refs(instances[:1]),
                            *_instance_refs(instances[1:]), *_expression_refs(doc)):
        if name and name not in found:
            found[name] = MediaRef(name, kind, via)
    return tuple(found.values())


def _default_refs(primary):
    for element in (primary[0].iter() if primary else ()):
        if isinstance(element.tag, str) and len(element) == 0 and (hit := jr_name(element.text or "")):
            yield hit[1], hit[0], "default"


def _instance_refs(secondary):
    for instance in secondary:
        if hit := jr_name(instance.get("src") or ""):
            yield hit[1], "file", "instance"


def _expression_refs(doc):
    """pulldata() anywhere, search() appearances of selects, <input query> (itemsets.csv)."""
    for element in doc.iter():
        if not isinstance(element.tag, str):
            continue
        local = etree.QName(element).localname
        for attr, value in element.attrib.items():
            for m in _PULLDATA.finditer(value):
                yield csv_name(m.group(2)), "file", "pulldata"
            if attr == "appearance" and local in ("select", "select1"):
                for m in _SEARCH.finditer(value):
                    yield csv_name(m.group(2)), "file", "search"
        if local == "input" and element.get("query"):
            yield ITEMSETS, "file", "itemsets"


def csv_name(name: str) -> str | None:
    """search('fruits') and pulldata('fruits', ...) read fruits.csv; blank-edged names never load."""
    if not name or name != name.strip():
        return None
    return name if name.lower().endswith(".csv") else f"{name}.csv"


def _itext_refs(model, skipped=frozenset()):
    for text in model.iterfind(f"{XF}itext/{XF}translation/{XF}text"):
        text_id = text.get("id") or ""
        if text_id in skipped:
            continue
        via = "hint" if text_id.endswith(":hint") else "label" if ":" in text_id else "choice"
        for value in text.iterfind(f"{XF}value"):
            kind = _MEDIA_FORMS.get(value.get("form") or "")
            hit = jr_name(value.text or "") if kind else None
            if hit:
                yield hit[1], kind, via


def _search_columns(doc):
    """Itext ids of the configuration choices of search() selects (any value but an integer).

    Collect reads such a choice's label and image as names of columns of the CSV, not as text
    and files (ExternalDataUtil.populateExternalChoices), so its 'image' is no file to upload.
    pyxform refuses a list shared by a search() select and another question.
    """
    found = set()
    for control in doc.iter(f"{XF}select", f"{XF}select1"):
        if not _SEARCH.search(control.get("appearance") or ""):
            continue
        for item in control.iterfind(f"{XF}item"):
            label = item.find(f"{XF}label")
            m = _ITEXT.match(label.get("ref") or "") if label is not None else None
            if m and not _java_int((item.findtext(f"{XF}value") or "").strip()):
                found.add(m.group(2))
    return found


def _java_int(value: str) -> bool:
    """Whether Java's Integer.parseInt reads `value` (Collect's test for a static choice)."""
    return bool(re.fullmatch(r"[+-]?\d+", value)) and -2**31 <= int(value) < 2**31


def declares_entities(doc: etree._Element) -> bool:
    """True for a form with an entities sheet (it creates or updates entity lists)."""
    model = doc.find(f"{{http://www.w3.org/1999/xhtml}}head/{XF}model")
    if any(k.startswith(f"{{{ENTITIES_NS}}}") for k in model.attrib):
        return True
    return any(etree.QName(e).localname == "entity" for e in model.iter() if isinstance(e.tag, str))


def match_upload(uploaded: str, expected: list[str] | tuple[str, ...]) -> str | None:
    """The expected name an uploaded file stands for.

    Exact names first; then the same name in Unicode NFC (macOS uploads decomposed names)
    and, if exactly one expected name matches, ignoring case: the file is stored and served
    under the form's own spelling, so Collect finds it whatever the phone's file system does.
    """
    if uploaded in expected:
        return uploaded
    norm = unicodedata.normalize("NFC", uploaded)
    exact = [e for e in expected if unicodedata.normalize("NFC", e) == norm]
    if len(exact) == 1:
        return exact[0]
    folded = [e for e in expected if unicodedata.normalize("NFC", e).casefold() == norm.casefold()]
    return folded[0] if len(folded) == 1 else None


def status(refs, present: dict[str, str], generated=()) -> dict:
    """What a form version's phone needs, against what is stored.

    `refs` are MediaRef (or dicts), `present` maps each stored file name to its md5, and
    `generated` names the files fieldcheck makes itself (the per-enumerator register).
    Returns {expected: [...with status present|generated|missing], missing, unreferenced}.
    """
    expected, missing = [], []
    names = set()
    for ref in refs:
        ref = ref.to_dict() if isinstance(ref, MediaRef) else dict(ref)
        name = ref["filename"]
        names.add(name)
        state = ("generated" if name in generated and name not in present else
                 "present" if name in present else "missing")
        expected.append({**ref, "status": state, "md5": present.get(name)})
        if state == "missing":
            missing.append(name)
    unreferenced = sorted(n for n in present if n not in names)
    return {"expected": expected, "missing": missing, "unreferenced": unreferenced}

"""Read a compiled XForm: parsing it with a hardened lxml parser, never by string matching.

Also rewrites the form version (stamp_version) the same way, so the served text stays
well-formed XML and its md5 is recomputed from the new bytes.
"""

from __future__ import annotations

import dataclasses
import re

from lxml import etree

from forms import media
from forms.model import CompiledForm

NS = {
    "xf": "http://www.w3.org/2002/xforms",
    "h": "http://www.w3.org/1999/xhtml",
    "jr": "http://openrosa.org/javarosa",
    "odk": "http://www.opendatakit.org/xforms",
}
_LANG_CODE = re.compile(r"\(([^()]+)\)\s*$")


def parse(xml: str | bytes) -> etree._Element:
    """Parse with entities, DTDs and network access all off (XXE-safe)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    return etree.fromstring(data, parser=parser)


def model(doc: etree._Element) -> etree._Element:
    return doc.find("h:head/xf:model", NS)


def primary_root(doc: etree._Element) -> etree._Element:
    """The root element of the first (primary) instance: <data id=... version=...>."""
    instance = model(doc).find("xf:instance", NS)
    return next(child for child in instance if isinstance(child.tag, str))


def lang_code(name: str) -> str:
    """'中文 (zh)' -> 'zh'; a language without a code in brackets keeps its name."""
    m = _LANG_CODE.search(name)
    return m.group(1).strip() if m else name


def translations(doc: etree._Element) -> list[etree._Element]:
    """itext translations, the default one first (that is the language Collect opens with)."""
    found = model(doc).findall("xf:itext/xf:translation", NS)
    return sorted(found, key=lambda t: t.get("default") is None)


def itext_labels(doc: etree._Element) -> dict[str, dict[str, str]]:
    """{text id: {language code: plain text}} from the itext block (media forms skipped)."""
    labels: dict[str, dict[str, str]] = {}
    for translation in translations(doc):
        code = lang_code(translation.get("lang", "default"))
        for text in translation.findall("xf:text", NS):
            value = next((v for v in text.findall("xf:value", NS) if v.get("form") is None), None)
            if value is not None:
                labels.setdefault(text.get("id"), {})[code] = "".join(value.itertext())
    return labels


def media_files(doc: etree._Element) -> tuple[str, ...]:
    """Bare names of every file the form needs on the phone (see forms.media), sorted."""
    return tuple(sorted(r.filename for r in media.references(doc)))


def header(doc: etree._Element) -> dict:
    """form_id, version, title, languages, public_key and submission_url of a parsed XForm."""
    root = primary_root(doc)
    submission = model(doc).find("xf:submission", NS)
    get = submission.get if submission is not None else (lambda _key: None)
    return {
        "form_id": root.get("id") or etree.QName(root).localname,
        "version": root.get("version") or None,
        "title": (doc.findtext("h:head/h:title", default="", namespaces=NS) or "").strip(),
        "languages": tuple(lang_code(t.get("lang", "default")) for t in translations(doc)),
        "public_key": get("base64RsaPublicKey") or None,
        "submission_url": next((s.get("action") for s in model(doc).findall("xf:submission", NS)
                                if s.get("action")), None),
    }


def stamp_version(compiled: CompiledForm, version: str) -> CompiledForm:
    """Return `compiled` with its primary instance's version set to `version` (md5 follows)."""
    if not str(version).strip():
        raise ValueError("a form version must not be empty")
    doc = parse(compiled.xml)
    primary_root(doc).set("version", str(version))
    xml = etree.tostring(doc, xml_declaration=True, encoding="UTF-8").decode("utf-8")
    return dataclasses.replace(compiled, xml=xml, version=str(version))


def without_submission_url(compiled: CompiledForm) -> CompiledForm:
    """Return `compiled` without the `<submission action>` of its settings (Collect then sends to
    its own server URL); an encrypted form keeps its `<submission>` with the public key."""
    if compiled.submission_url is None:
        return compiled
    return dataclasses.replace(compiled, xml=without_submission_action(compiled.xml), submission_url=None)


def without_submission_action(xml: str) -> str:
    """The XForm text `xml` with no `action` on any `<submission>` (a `<submission>` left with no
    public key is removed); `xml` itself when there was none."""
    doc = parse(xml)
    found = [s for s in model(doc).findall("xf:submission", NS) if "action" in s.attrib]
    if not found:
        return xml
    for submission in found:
        submission.attrib.pop("action")
        if "base64RsaPublicKey" not in submission.attrib:
            submission.getparent().remove(submission)
    return etree.tostring(doc, xml_declaration=True, encoding="UTF-8").decode("utf-8")

"""Render the OpenRosa XML documents Collect reads: formList, manifest, OpenRosaResponse.

Built with lxml from plain dataclasses (never by string concatenation), so text is always
escaped. URLs hang off the public base URL of the request (`{S}` in openrosa.md, e.g.
`https://host/key/<token>/<evaluation>`), with form ids and file names percent-encoded.
Collect drops the *whole* list or manifest if one entry lacks a required child or an
`md5:` hash, so entries are validated here rather than rendered half-broken.
"""
import email.utils
import re
from dataclasses import dataclass
from urllib.parse import quote

from lxml import etree

from server.openrosa.messages import message, status_for

NS_FORMLIST = "http://openrosa.org/xforms/xformsList"
NS_MANIFEST = "http://openrosa.org/xforms/xformsManifest"
NS_RESPONSE = "http://openrosa.org/http/response"
CONTENT_TYPE = "text/xml; charset=utf-8"

_MD5 = re.compile(r"^[0-9a-f]{32}$")
# Characters XML 1.0 cannot carry at all; lxml would raise on them mid-render.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class FormEntry:
    """One published form version as listed to Collect. `md5` is the hex digest of the
    exact bytes served at its downloadUrl."""
    form_id: str
    name: str
    version: str
    md5: str
    has_media: bool = False


@dataclass(frozen=True)
class MediaEntry:
    """One form attachment; `type`/`integrity_url` only for entity lists."""
    filename: str
    md5: str
    type: str | None = None
    integrity_url: str | None = None


def form_download_url(base_url, form_id):
    return f"{base_url.rstrip('/')}/forms/{quote(form_id, safe='')}.xml"


def form_manifest_url(base_url, form_id):
    return f"{base_url.rstrip('/')}/forms/{quote(form_id, safe='')}/manifest"


def media_download_url(base_url, form_id, filename):
    return (f"{base_url.rstrip('/')}/forms/{quote(form_id, safe='')}"
            f"/attachments/{quote(filename, safe='')}")


def render_formlist(forms, base_url):
    """formList XML bytes for `forms` (iterable of FormEntry); empty → valid empty list."""
    root = etree.Element(f"{{{NS_FORMLIST}}}xforms", nsmap={None: NS_FORMLIST})
    for form in forms:
        _require(form.form_id, "form_id")
        xform = etree.SubElement(root, f"{{{NS_FORMLIST}}}xform")
        _child(xform, NS_FORMLIST, "formID", form.form_id)
        # Central's fallback: an empty <name> would make Collect reject the whole list.
        _child(xform, NS_FORMLIST, "name", form.name or form.form_id)
        _child(xform, NS_FORMLIST, "version", form.version or "")
        _child(xform, NS_FORMLIST, "hash", _md5_hash(form.md5))
        _child(xform, NS_FORMLIST, "downloadUrl", form_download_url(base_url, form.form_id))
        if form.has_media:
            _child(xform, NS_FORMLIST, "manifestUrl", form_manifest_url(base_url, form.form_id))
    return _serialize(root)


def render_manifest(media, base_url, form_id):
    """Manifest XML bytes for `media` (iterable of MediaEntry) of form `form_id`."""
    root = etree.Element(f"{{{NS_MANIFEST}}}manifest", nsmap={None: NS_MANIFEST})
    for item in media:
        _require(item.filename, "filename")
        node = etree.SubElement(root, f"{{{NS_MANIFEST}}}mediaFile")
        if item.type:
            node.set("type", item.type)
        _child(node, NS_MANIFEST, "filename", item.filename)
        _child(node, NS_MANIFEST, "hash", _md5_hash(item.md5))
        _child(node, NS_MANIFEST, "downloadUrl",
               media_download_url(base_url, form_id, item.filename))
        if item.integrity_url:
            _child(node, NS_MANIFEST, "integrityUrl", item.integrity_url)
    return _serialize(root)


def render_response(text, error=False):
    """An OpenRosaResponse with one `<message>` (nature "error" or "")."""
    root = etree.Element(f"{{{NS_RESPONSE}}}OpenRosaResponse", nsmap={None: NS_RESPONSE})
    root.set("items", "0")
    node = _child(root, NS_RESPONSE, "message", text)
    node.set("nature", "error" if error else "")
    return _serialize(root)


def render_coded(code, lang="en", **params):
    """(body, status) for a catalogue code: message in `lang`, nature from the status."""
    status = status_for(code)
    return render_response(message(code, lang, **params), error=status >= 400), status


def openrosa_headers(accept_content_length):
    """Headers every OpenRosa response carries (openrosa.md A.6, A.8)."""
    return {
        "Content-Type": CONTENT_TYPE,
        "X-OpenRosa-Version": "1.0",
        "X-OpenRosa-Accept-Content-Length": str(int(accept_content_length)),
        "Date": email.utils.formatdate(usegmt=True),
        # Collect keeps a 50 MiB OkHttp cache; lists must never be served from it stale.
        "Cache-Control": "no-cache",
    }


def _md5_hash(value):
    digest = (value or "").lower()
    if digest.startswith("md5:"):
        digest = digest[4:]
    if not _MD5.match(digest):
        raise ValueError(f"not an md5 hex digest: {value!r}")
    return f"md5:{digest}"


def _require(value, name):
    if not value:
        raise ValueError(f"{name} must not be empty")


def _child(parent, ns, tag, text):
    node = etree.SubElement(parent, f"{{{ns}}}{tag}")
    node.text = _XML_INVALID.sub("", text)
    return node


def _serialize(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

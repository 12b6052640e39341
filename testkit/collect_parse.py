"""Parsing side of the Collect-faithful test client: what Collect accepts from a server.

formList and manifest entries (Kxml2OpenRosaResponseParser: one incomplete entry sinks the
whole document), the `<message>` Collect shows (ResponseMessageParser), the failure text
of OpenRosaServerInstanceUploader, and WWW-Authenticate challenges.
"""
import os
import re
from dataclasses import dataclass

from lxml import etree

NS_FORMLIST = "http://openrosa.org/xforms/xformsList"
NS_MANIFEST = "http://openrosa.org/xforms/xformsManifest"
SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
_CHALLENGE_PARAM = re.compile(r'([^\s=,]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))')


class CollectProtocolError(AssertionError):
    """The server did something that makes the real Collect fail."""

    def __init__(self, message, response=None):
        super().__init__(message)
        self.response = response


@dataclass(frozen=True)
class FormListEntry:
    form_id: str
    name: str
    version: str
    hash: str  # hex, without "md5:"
    download_url: str
    manifest_url: str | None


@dataclass(frozen=True)
class MediaFileEntry:
    filename: str
    hash: str
    download_url: str
    type: str | None = None
    integrity_url: str | None = None


def parse_openrosa_message(body):
    """Text of the first <message>, only if the body mentions OpenRosaResponse (Collect)."""
    if not body or b"OpenRosaResponse" not in body:
        return None
    try:
        root = etree.fromstring(body, SAFE_PARSER)
    except etree.XMLSyntaxError:
        return None
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag.rpartition("}")[2] == "message":
            return (node.text or "").strip() or None
    return None


def upload_error(resp, message, url):
    code, reason = resp.status_code, resp.reason
    if code in (201, 202):
        return None
    if code == 200:
        return "Error: Network login failure? Again?"
    if code == 204:
        return "Error: 204 No Content in answer to a POST"
    if code == 401:
        return f"Error: {reason} ({code}) at {url}"
    if message:
        return f"Error: {message}"
    if code == 400:
        return ("Failed to upload. Please make sure the form is configured to accept "
                "submissions on the server")
    return f"Error: {reason} ({code}) at {url}"


def challenges(resp):
    """[(scheme lowercased, {param: value})] from every WWW-Authenticate header."""
    out = []
    for value in resp.raw.headers.getlist("WWW-Authenticate"):
        scheme, _, rest = value.strip().partition(" ")
        params = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3)
                  for m in _CHALLENGE_PARAM.finditer(rest)}
        params = {k: re.sub(r"\\(.)", r"\1", v) for k, v in params.items()}
        out.append((scheme.lower(), params))
    return out


def _children(node, ns):
    return {child.tag[len(ns) + 2:]: (child.text or "").strip()
            for child in node if isinstance(child.tag, str) and child.tag.startswith(f"{{{ns}}}")}


def form_entry(node):
    fields = _children(node, NS_FORMLIST)
    for required in ("formID", "name", "downloadUrl"):
        if not fields.get(required):
            raise CollectProtocolError(f"xform without {required}: Collect drops the whole list")
    hash_ = fields.get("hash", "")
    if not hash_.startswith("md5:"):
        raise CollectProtocolError(f"form {fields['formID']}: hash {hash_!r} lacks md5:")
    return FormListEntry(fields["formID"], fields["name"], fields.get("version", ""),
                         hash_[4:], fields["downloadUrl"], fields.get("manifestUrl") or None)


def media_entry(node):
    fields = _children(node, NS_MANIFEST)
    for required in ("filename", "hash", "downloadUrl"):
        if not fields.get(required):
            raise CollectProtocolError(f"mediaFile without {required}: manifest ignored")
    if not fields["hash"].startswith("md5:"):
        raise CollectProtocolError(f"media {fields['filename']}: hash lacks md5:")
    return MediaFileEntry(os.path.basename(fields["filename"]), fields["hash"][4:],
                          fields["downloadUrl"], node.get("type"), fields.get("integrityUrl"))

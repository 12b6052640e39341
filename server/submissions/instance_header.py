"""Read only the header fields of a submission XML, safely and fast, on the request path.

Form id and version (root attributes), meta/instanceID, deprecatedID and instanceName,
whether the XML is an encrypted envelope (and then its media and encryptedXmlFile names),
and which uploaded attachment names the XML references. Everything else is the worker's
job. The parser is lxml in streaming mode with entities unresolved, no network, no huge
trees and a byte bound; any DOCTYPE is refused at the root element, before a single entity
is expanded or fetched, which disposes of entity bombs and XXE. Every failure is one
`SubmissionXmlError` carrying a stable code from `server.submissions.refusals`.
"""
import io
from dataclasses import dataclass

from lxml import etree

from server.submissions.refusals import Refused

NS_ENCRYPTED = "http://www.opendatakit.org/xforms/encrypted"
MAX_XML_BYTES = 16 * 1024 * 1024
_META_FIELDS = ("instanceID", "deprecatedID", "instanceName")
_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, huge_tree=False,
                       load_dtd=False, dtd_validation=False, remove_pis=True)


class SubmissionXmlError(Refused):
    """A submission XML we refuse; `code` is a refusal code, `params` fill its message."""


@dataclass(frozen=True)
class SubmissionHeader:
    form_id: str
    version: str
    instance_id: str | None
    deprecated_id: str | None
    instance_name: str | None
    encrypted: bool
    media_files: tuple = ()            # encrypted envelopes only: <media><file> names
    encrypted_xml_file: str | None = None
    referenced: frozenset = frozenset()  # uploaded names the XML refers to


def read_header(data, uploaded_names=(), *, max_bytes=MAX_XML_BYTES,
                require_instance_id=False):
    """Parse the header fields of submission XML `data` (bytes).

    `uploaded_names` are the attachment part names of the request; the result's
    `referenced` says which of them the XML mentions. A missing instanceID is reported
    as None (nothing is generated) unless `require_instance_id`, or the XML is an
    encrypted envelope, in which case it raises `submission.missing_instance_id`.
    Raises SubmissionXmlError: submission.xml_too_large, submission.malformed_xml,
    submission.doctype_forbidden, submission.missing_form_id.
    """
    if len(data) > max_bytes:
        raise SubmissionXmlError("submission.xml_too_large", limit=max_bytes)
    scan = _Scan(frozenset(uploaded_names))
    try:
        _stream(bytes(data), scan)
    except etree.XMLSyntaxError as exc:
        if _mentions_doctype(data):  # e.g. an entity used in an attribute fails before the root
            raise SubmissionXmlError("submission.doctype_forbidden") from None
        raise SubmissionXmlError("submission.malformed_xml", detail=_first_line(exc)) from None
    header = scan.result()
    if header.instance_id is None and (require_instance_id or header.encrypted):
        raise SubmissionXmlError("submission.missing_instance_id")
    return header


def _stream(data, scan):
    events = etree.iterparse(io.BytesIO(data), events=("start", "end"), **_PARSER_OPTIONS)
    for event, elem in events:
        if event == "start":
            if scan.root is None:
                _refuse_doctype(elem)
            scan.start(elem)
            continue
        scan.end(elem)
        # Streaming: drop what has been read so memory stays flat on big instances.
        elem.clear(keep_tail=False)
        while elem.getprevious() is not None:
            del elem.getparent()[0]
    if scan.root is None:
        raise SubmissionXmlError("submission.malformed_xml", detail="no root element")


def _refuse_doctype(root):
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise SubmissionXmlError("submission.doctype_forbidden")


def _mentions_doctype(data):
    prolog = bytes(data[:65536])
    return b"<!DOCTYPE" in prolog or "<!DOCTYPE".encode("utf-16-le") in prolog


def _first_line(exc):
    return str(exc).splitlines()[0][:200] if str(exc) else "syntax error"


def _local(tag):
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


class _Scan:
    """Collects header fields from start/end events; `path` holds local names."""

    def __init__(self, uploaded):
        self.uploaded = uploaded
        self.root = None
        self.path = []
        self.meta = {}
        self.media = []
        self.enc_file = None
        self.referenced = set()

    def start(self, elem):
        if self.root is None:
            self.root = (elem.tag, dict(elem.attrib))
        self.path.append(_local(elem.tag))

    def end(self, elem):
        value = (elem.text or "").strip()
        path, depth = self.path, len(self.path)
        if depth == 3 and path[1] == "meta" and path[2] in _META_FIELDS:
            self.meta.setdefault(path[2], value)
        elif depth == 3 and path[1] == "media" and path[2] == "file" and value:
            self.media.append(value)
        elif depth == 2 and path[1] == "encryptedXmlFile" and value:
            self.enc_file = value
        if value in self.uploaded:
            self.referenced.add(value)
        path.pop()

    def result(self):
        tag, attrib = self.root
        form_id = (attrib.get("id") or "").strip()
        if not form_id:
            raise SubmissionXmlError("submission.missing_form_id")
        encrypted = (attrib.get("encrypted", "").lower() == "yes"
                     or tag.startswith("{" + NS_ENCRYPTED + "}"))
        named = set(self.media) | ({self.enc_file} if self.enc_file else set())
        referenced = named & self.uploaded if encrypted else self.referenced
        return SubmissionHeader(
            form_id=form_id,
            version=(attrib.get("version") or "").strip(),
            instance_id=self.meta.get("instanceID") or attrib.get("instanceID") or None,
            deprecated_id=self.meta.get("deprecatedID") or None,
            instance_name=self.meta.get("instanceName") or None,
            encrypted=encrypted,
            media_files=tuple(self.media) if encrypted else (),
            encrypted_xml_file=self.enc_file if encrypted else None,
            referenced=frozenset(referenced),
        )

"""Read a Collect submission body (multipart/form-data) as it streams in.

The instance XML (`xml_submission_file`) and small fields such as `*isIncomplete*` are kept in
memory within bounds; every other part goes straight into a media-store temp file, hashed as it
is written. A body that ends before the closing boundary is `submission.truncated`; whatever was
written is discarded before the error leaves this module. Part headers are decoded as UTF-8, as
OkHttp writes them (openrosa.md item 46).
"""
from dataclasses import dataclass, field

from werkzeug.exceptions import ClientDisconnected
from werkzeug.http import parse_options_header

from server.submissions.instance_header import MAX_XML_BYTES, SubmissionXmlError

XML_PART = "xml_submission_file"
CHUNK = 256 * 1024
MAX_FIELD_BYTES = 4096
MAX_PARTS = 1000  # Collect sends at most 101 files per POST
MAX_HEADER_BYTES = 16 * 1024


@dataclass
class UploadedPart:
    """An attachment part: the name Collect gave it and the temp file holding its bytes."""
    name: str
    content_type: str
    temp: object


@dataclass
class SubmissionBody:
    xml: bytes | None = None
    parts: list = field(default_factory=list)
    fields: dict = field(default_factory=dict)

    @property
    def incomplete(self):
        return self.fields.get("*isIncomplete*", "").strip().lower() == "yes"

    def discard(self):
        for part in self.parts:
            part.temp.discard()


def read_body(stream, content_type, new_temp):
    """Parse the multipart `stream`; `new_temp()` makes a media-store TempFile per attachment.

    Raises SubmissionXmlError: submission.not_multipart, submission.missing_xml,
    submission.truncated, submission.no_boundary, submission.too_many_parts,
    submission.part_headers_too_large, submission.xml_too_large and submission.field_too_large
    (an in-memory part over its bound).
    """
    mimetype, options = parse_options_header(content_type or "")
    boundary = options.get("boundary", "").encode("latin-1", "replace")
    if mimetype != "multipart/form-data" or not boundary:
        raise SubmissionXmlError("submission.not_multipart")
    body = SubmissionBody()
    try:
        _Reader(body, new_temp).run(stream, boundary)
    except BaseException:
        body.discard()
        raise
    if body.xml is None:
        body.discard()
        raise SubmissionXmlError("submission.missing_xml")
    return body


class _Reader:
    """A small streaming multipart parser: bytes.find on the delimiter, no regex per chunk.

    werkzeug's decoder compiles regexes per boundary and re-scans its buffer per event, which
    cost more than the rest of the request path together; this one touches each byte twice.
    """

    def __init__(self, body, new_temp):
        self.body = body
        self.new_temp = new_temp
        self.sink = None      # TempFile, or list of in-memory chunks
        self.name = None
        self.held = 0
        self.parts = 0

    def run(self, stream, boundary):
        delimiter = b"\r\n--" + boundary
        buffer, state, eof = b"\r\n", "preamble", False
        while state != "done":
            if not eof:
                chunk = self._read(stream)
                eof = not chunk
                buffer += chunk
            buffer, state, progressed = self._step(buffer, state, delimiter, eof)
            if eof and not progressed and state != "done":
                raise SubmissionXmlError("submission.truncated")
        while not eof:  # read the epilogue, so a kept-alive connection starts clean
            eof = not self._read(stream)

    @staticmethod
    def _read(stream):
        try:
            return stream.read(CHUNK)
        except ClientDisconnected:
            raise SubmissionXmlError("submission.truncated") from None

    def _step(self, buffer, state, delimiter, eof):
        """Advance as far as the buffer allows; returns (rest, state, whether anything moved)."""
        progressed = False
        while state != "done":
            buffer, next_state, moved = getattr(self, f"_at_{state}")(buffer, delimiter)
            if not moved:
                return buffer, state, progressed
            state, progressed = next_state, True
        return buffer, state, progressed

    def _at_preamble(self, buffer, delimiter):
        at = buffer.find(delimiter)
        if at < 0:
            if len(buffer) > MAX_HEADER_BYTES:  # no boundary where one must be: not Collect's body
                raise SubmissionXmlError("submission.no_boundary", limit=MAX_HEADER_BYTES)
            return buffer, "preamble", False
        return buffer[at + len(delimiter):], "boundary", True

    def _at_data(self, buffer, delimiter):
        at = buffer.find(delimiter)
        view = memoryview(buffer)  # the part's bytes go to the file or list without another copy
        if at < 0:
            keep = len(delimiter) + 1  # the tail may hold the start of a delimiter
            if len(buffer) <= keep:
                return buffer, "data", False
            self._write(view[:-keep])
            return buffer[-keep:], "data", True
        self._write(view[:at])
        self._finish()
        return buffer[at + len(delimiter):], "boundary", True

    def _at_boundary(self, buffer, _delimiter):
        if len(buffer) < 2:
            return buffer, "boundary", False
        return buffer, ("done" if buffer[:2] == b"--" else "headers"), True

    def _at_headers(self, buffer, _delimiter):
        end = buffer.find(b"\r\n\r\n", 0, MAX_HEADER_BYTES + 4)
        if end < 0:
            if len(buffer) > MAX_HEADER_BYTES:  # however the body was cut into chunks
                raise SubmissionXmlError("submission.part_headers_too_large", limit=MAX_HEADER_BYTES)
            return buffer, "headers", False
        self._start(buffer[:end])
        return buffer[end + 4:], "data", True

    def _start(self, block):
        self.parts += 1
        if self.parts > MAX_PARTS:
            raise SubmissionXmlError("submission.too_many_parts", limit=MAX_PARTS)
        headers = _headers(block)
        _, options = parse_options_header(headers.get("content-disposition", ""))
        self.name, filename, self.held = options.get("name"), options.get("filename"), 0
        if self.name == XML_PART or filename is None:
            self.sink = []
        else:
            self.sink = self.new_temp()
            self.body.parts.append(UploadedPart(
                name=filename or self.name,
                content_type=(headers.get("content-type") or "application/octet-stream")[:100],
                temp=self.sink))

    def _write(self, data):
        if isinstance(self.sink, list):
            self.held += len(data)
            if self.name == XML_PART and self.held > MAX_XML_BYTES:
                raise SubmissionXmlError("submission.xml_too_large", limit=MAX_XML_BYTES)
            if self.name != XML_PART and self.held > MAX_FIELD_BYTES:
                raise SubmissionXmlError("submission.field_too_large", name=(self.name or "")[:80],
                                         limit=MAX_FIELD_BYTES)
            self.sink.append(data)
        elif data:
            self.sink.write(data)

    def _finish(self):
        if isinstance(self.sink, list):
            value = b"".join(self.sink)
            if self.name == XML_PART:
                self.body.xml = value
            else:
                self.body.fields[self.name] = value.decode("utf-8", "replace")
        else:
            self.sink.close()
        self.sink = None


def _headers(block):
    """Part headers, lowercased names; UTF-8 as OkHttp writes file names (item 46)."""
    try:
        text = block.decode("utf-8")
    except UnicodeDecodeError:
        raise SubmissionXmlError("submission.bad_attachment_name") from None
    headers = {}
    for line in text.split("\r\n"):
        name, sep, value = line.partition(":")
        if sep:
            headers[name.strip().lower()] = value.strip()
    return headers

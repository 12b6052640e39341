"""Wire-level pieces of the Collect-faithful test client, each as ODK Collect does it.

Request headers and Date format (OkHttpOpenRosaServerClientProvider), deviceID query
(OpenRosaXmlFetcher / InstallIDProvider), Digest responses (okhttp-digest 3.1.1),
multipart bodies (OkHttp MultipartBody), the batching rule
(OkHttpConnection.uploadSubmissionAndFiles) and part content types
(CollectThenSystemContentTypeMapper). Also a builder for realistic instance XML.
"""
import hashlib
import os
import secrets
import string
import time
import uuid
from urllib.parse import quote, urlsplit

from lxml import etree

COLLECT_USER_AGENT = ("org.odk.collect.android/v2025.2.0 Dalvik/2.1.0 "
                      "(Linux; U; Android 14; Pixel 7 Build/AP2A)")
DEFAULT_ACCEPT_CONTENT_LENGTH = 10_000_000
MAX_FILES_PER_BATCH = 100
NS_ORX = "http://openrosa.org/xforms"
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Collect's own map first, then what Android's MimeTypeMap answers for common media.
_CONTENT_TYPES = {
    "amr": "audio/amr", "oga": "audio/ogg", "ogv": "video/ogg", "webm": "video/webm",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "png": "image/png", "gif": "image/gif",
    "webp": "image/webp", "mp4": "video/mp4", "3gp": "video/3gpp", "m4a": "audio/mp4",
    "mp3": "audio/mpeg", "wav": "audio/x-wav", "csv": "text/comma-separated-values",
    "xml": "text/xml", "pdf": "application/pdf", "txt": "text/plain",
}


def collect_date(now=None):
    """`E, dd MMM yyyy hh:mm:ss zz` in GMT, Locale.US: a 12-hour clock without AM/PM."""
    t = time.gmtime(now)
    hour = t.tm_hour % 12 or 12
    return (f"{_DAYS[t.tm_wday]}, {t.tm_mday:02d} {_MONTHS[t.tm_mon - 1]} {t.tm_year} "
            f"{hour:02d}:{t.tm_min:02d}:{t.tm_sec:02d} GMT")


def new_device_id():
    """`collect:` + 16 random alphanumerics, like Collect's InstallIDProvider."""
    alphabet = string.ascii_letters + string.digits
    return "collect:" + "".join(secrets.choice(alphabet) for _ in range(16))


def add_query(url, name, value):
    """Append name=value (percent-encoded) with `?` or `&` as the URL needs."""
    if url.endswith(("?", "&")):
        sep = ""
    else:
        sep = "&" if urlsplit(url).query else "?"
    return f"{url}{sep}{quote(name, safe='')}={quote(value, safe='')}"


def request_headers():
    """Headers OkHttp + Collect put on every request (Authorization is added later)."""
    return {"User-Agent": COLLECT_USER_AGENT, "X-OpenRosa-Version": "1.0",
            "Date": collect_date(), "Accept-Encoding": "gzip", "Connection": "Keep-Alive"}


def content_type_for(name):
    ext = name.rpartition(".")[2].lower() if "." in name else ""
    return _CONTENT_TYPES.get(ext, "application/octet-stream")


class DigestState:
    """One cached Digest challenge; answers it and later requests pre-emptively (nc++)."""

    def __init__(self, params):
        self.params = params
        self.nc = 0
        self.cnonce = secrets.token_hex(8)  # okhttp-digest: 8 random bytes as hex

    def authorization(self, method, url, username, password):
        p = self.params
        uri = _request_path(url)
        self.nc += 1
        nc = f"{self.nc:08x}"
        charset = p.get("charset", "ascii")
        a1 = _md5(f"{username}:{p['realm']}:{password}", charset)
        a2 = _md5(f"{method}:{uri}", charset)
        response = _md5(f"{a1}:{p['nonce']}:{nc}:{self.cnonce}:auth:{a2}", "ascii")
        fields = [("username", username, True), ("realm", p["realm"], True),
                  ("nonce", p["nonce"], True), ("uri", uri, True), ("response", response, True),
                  ("qop", "auth", False), ("nc", nc, False), ("cnonce", self.cnonce, True),
                  ("algorithm", p.get("algorithm", "MD5"), False)]
        if "opaque" in p:
            fields.append(("opaque", p["opaque"], True))
        return "Digest " + ", ".join(_pair(n, v, q) for n, v, q in fields)


def _pair(name, value, quoted):
    if not quoted:
        return f"{name}={value}"
    return name + '="' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _md5(text, charset):
    # Java's String.getBytes("ASCII") turns unmappable characters into '?'.
    return hashlib.md5(text.encode(charset, errors="replace")).hexdigest()


def _request_path(url):
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


class MultipartBody:
    """An OkHttp-style multipart/form-data body, streamed with a known Content-Length."""

    def __init__(self):
        self.boundary = str(uuid.uuid4())
        self.segments = []  # bytes, or (path, size) for files streamed from disk
        self.names = []

    @property
    def content_type(self):
        return f"multipart/form-data; boundary={self.boundary}"

    def add(self, name, content, filename=None, content_type=None):
        disposition = f'form-data; name={_okhttp_quote(name)}'
        if filename is not None:
            disposition += f"; filename={_okhttp_quote(filename)}"
        size = len(content) if isinstance(content, bytes) else os.path.getsize(content)
        head = f"--{self.boundary}\r\nContent-Disposition: {disposition}\r\n"
        if content_type:
            head += f"Content-Type: {content_type}\r\n"
        head += f"Content-Length: {size}\r\n\r\n"
        self.segments += [head.encode("utf-8"),
                          content if isinstance(content, bytes) else (os.fspath(content), size),
                          b"\r\n"]
        self.names.append(name)

    def finish(self):
        self.segments.append(f"--{self.boundary}--\r\n".encode("ascii"))
        return self

    def __len__(self):
        return sum(len(s) if isinstance(s, bytes) else s[1] for s in self.segments)

    def reader(self):
        """A fresh file-like reader (requests sends Content-Length from its __len__)."""
        return _BodyReader(self.segments, len(self))


class _BodyReader:
    def __init__(self, segments, length):
        self._chunks = self._iterate(segments)
        self._length = length
        self._buffer = b""

    def __len__(self):
        return self._length

    @staticmethod
    def _iterate(segments):
        for seg in segments:
            if isinstance(seg, bytes):
                yield seg
                continue
            with open(seg[0], "rb") as handle:
                while block := handle.read(256 * 1024):
                    yield block

    def read(self, size=-1):
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        size = len(self._buffer) if size < 0 else size
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _okhttp_quote(value):
    # OkHttp's appendQuotedString: only CR, LF and '"' are escaped; UTF-8 goes out raw.
    return '"' + value.replace("\n", "%0A").replace("\r", "%0D").replace('"', "%22") + '"'


def plan_batches(xml_size, sizes, limit):
    """Split attachment indexes into POSTs exactly as Collect does.

    A new POST starts when the next file would push XML + files over `limit`, or when
    the batch already holds more than MAX_FILES_PER_BATCH files (so at most 101); a lone
    oversize file still goes with the XML. Returns [[index, ...], ...], at least one.
    """
    batches, index, first = [], 0, True
    while index < len(sizes) or first:
        first, start, total, batch = False, index, xml_size, []
        while index < len(sizes):
            batch.append(index)
            total += sizes[index]
            more = index + 1 < len(sizes)
            index += 1
            if more and (index - start > MAX_FILES_PER_BATCH
                         or total + sizes[index] > limit):
                break
        batches.append(batch)
    return batches


def build_instance_xml(form_id, version="", instance_id=None, fields=None, *,
                       deprecated_id=None, instance_name=None, root="data", orx_meta=False):
    """Instance XML as Collect saves it. `fields`: name → str, dict (group) or list (repeat)."""
    root_el = etree.Element(root, nsmap={"jr": "http://openrosa.org/javarosa",
                                         "odk": "http://www.opendatakit.org/xforms",
                                         "orx": NS_ORX})
    root_el.set("id", form_id)
    if version:
        root_el.set("version", version)
    _add_fields(root_el, fields or {})
    meta_ns = f"{{{NS_ORX}}}" if orx_meta else ""
    meta = etree.SubElement(root_el, f"{meta_ns}meta")
    etree.SubElement(meta, f"{meta_ns}instanceID").text = instance_id or f"uuid:{uuid.uuid4()}"
    if deprecated_id:
        etree.SubElement(meta, f"{meta_ns}deprecatedID").text = deprecated_id
    if instance_name:
        etree.SubElement(meta, f"{meta_ns}instanceName").text = instance_name
    return etree.tostring(root_el, xml_declaration=True, encoding="UTF-8")


def _add_fields(parent, fields):
    for name, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            node = etree.SubElement(parent, name)
            if isinstance(item, dict):
                _add_fields(node, item)
            else:
                node.text = "" if item is None else str(item)

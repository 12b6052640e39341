"""A Collect-faithful OpenRosa client for tests: it behaves as ODK Collect does, not as
our server would like. Built on requests; the wire details live in `collect_wire`.

- Every request: Collect's User-Agent, X-OpenRosa-Version, 12-hour GMT Date,
  Accept-Encoding gzip, and `deviceID=collect:…` appended to the URL.
- Auth: no credentials first; a 401 is answered with Digest (Basic only over https), then
  credentials go pre-emptively to that host only; a repeated 401 on a non-stale Digest
  challenge is given up (okhttp-digest's loop guard), so the caller sees the 401.
- formList/manifest/media checks Collect makes (status 200, OpenRosa header, text/xml,
  required children, md5 hashes); HEAD → 204 → POST batches exactly as Collect splits them.
Server URL forms: `<base>/key/<token>/<evaluation>` (token) or `<base>/<evaluation>` (Digest).
"""
import base64
import hashlib
import os
import time
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

import requests
from lxml import etree

from testkit.collect_wire import (DEFAULT_ACCEPT_CONTENT_LENGTH, DigestState, MultipartBody,
                                  add_query, content_type_for, new_device_id, plan_batches,
                                  request_headers)

from testkit.collect_parse import (NS_FORMLIST, NS_MANIFEST, SAFE_PARSER, CollectProtocolError,
                                   FormListEntry, MediaFileEntry, challenges, form_entry,
                                   media_entry, parse_openrosa_message, upload_error)

__all__ = ["CollectClient", "CollectProtocolError", "FormListEntry", "MediaFileEntry",
           "SubmitResult", "parse_openrosa_message"]


@dataclass
class SubmitResult:
    head_status: int
    accept_content_length: int
    submission_url: str
    responses: list = field(default_factory=list)
    batches: list = field(default_factory=list)  # attachment names sent in each POST
    message: str | None = None  # first <message> of the last response, as Collect shows it
    error: str | None = None    # Collect's failure text, None on success

    @property
    def ok(self):
        return self.error is None

    @property
    def statuses(self):
        return [r.status_code for r in self.responses]


class CollectClient:
    def __init__(self, server_url, username=None, password=None, *, device_id=None,
                 timeout=60, session=None):
        self.server_url = server_url.rstrip("/")
        self.username, self.password = username, password
        self.device_id = device_id or new_device_id()
        self.timeout = timeout
        self.session = session or requests.Session()
        self.session.headers.clear()  # no requests defaults (Accept: */* etc.)
        self._auth = {}  # (scheme, host, port) -> DigestState | "basic"

    # ---------------------------------------------------------------- HTTP + auth
    def request(self, method, url, body=None, device=True):
        """One Collect request; answers auth challenges the way okhttp-digest does."""
        if device:
            url = add_query(url, "deviceID", self.device_id)
        auth = self._preemptive(method, url)
        for _ in range(3):
            resp = self._send(method, url, body, auth)
            if resp.status_code != 401:
                return resp
            url = resp.url
            auth = self._answer(resp, method, resp.request.headers.get("Authorization"))
            if auth is None:
                return resp
        return resp

    def _send(self, method, url, body, auth):
        headers = request_headers()
        if auth:
            headers["Authorization"] = auth
        data = None
        if body is not None:
            headers["Content-Type"] = body.content_type
            data = body.reader()
        return self.session.request(method, url, headers=headers, data=data,
                                    timeout=self.timeout, allow_redirects=True)

    def _key(self, url):
        parts = urlsplit(url)
        return parts.scheme, parts.hostname, parts.port

    def _ours(self, url):
        # Collect's WebCredentialsUtils: credentials only for the server_url's host.
        return (self.username is not None
                and urlsplit(url).hostname == urlsplit(self.server_url).hostname)

    def _preemptive(self, method, url):
        cached = self._auth.get(self._key(url))
        if cached is None or not self._ours(url):
            return None
        if cached == "basic":
            return self._basic()
        return cached.authorization(method, url, self.username, self.password)

    def _answer(self, resp, method, sent):
        if not self._ours(resp.url):
            return None
        https = urlsplit(resp.url).scheme == "https"
        for scheme, params in challenges(resp):
            if scheme == "digest" and "nonce" in params and "realm" in params:
                stale = params.get("stale", "").lower() == "true"
                if sent and sent.startswith("Digest") and not stale:
                    return None  # same credentials failed already: let the user see 401
                state = self._auth[self._key(resp.url)] = DigestState(params)
                return state.authorization(method, resp.url, self.username, self.password)
            if scheme == "basic" and https:
                if sent:
                    return None
                self._auth[self._key(resp.url)] = "basic"
                return self._basic()
        return None

    def _basic(self):
        raw = f"{self.username}:{self.password}".encode("utf-8")
        return "Basic " + base64.b64encode(raw).decode("ascii")

    # ---------------------------------------------------------------- forms + media
    def form_list(self):
        """GET {S}/formList → [FormListEntry]; raises where Collect would fail."""
        root = self._openrosa_xml(self.request("GET", self.server_url + "/formList"),
                                  NS_FORMLIST, "xforms")
        return [form_entry(x) for x in root if x.tag == f"{{{NS_FORMLIST}}}xform"]

    def download_form(self, entry):
        """The form's bytes; md5 must equal the listed hash."""
        return self._download(entry.download_url, entry.hash, f"form {entry.form_id}")

    def manifest(self, entry):
        """[MediaFileEntry] for a form ([] when the list gave no manifestUrl)."""
        if not entry.manifest_url:
            return []
        root = self._openrosa_xml(self.request("GET", entry.manifest_url),
                                  NS_MANIFEST, "manifest")
        return [media_entry(x) for x in root if x.tag == f"{{{NS_MANIFEST}}}mediaFile"]

    def download_media(self, media):
        """One media file's bytes; md5 must equal the manifest hash."""
        return self._download(media.download_url, media.hash, f"media {media.filename}")

    def download_all(self, entry):
        """(form bytes, {filename: bytes}) — what Get Blank Form does for one form."""
        form = self.download_form(entry)
        return form, {m.filename: self.download_media(m) for m in self.manifest(entry)}

    def _download(self, url, expected_md5, what):
        resp = self.request("GET", url)
        if resp.status_code != 200:
            raise CollectProtocolError(f"{what}: status {resp.status_code}", resp)
        actual = hashlib.md5(resp.content).hexdigest()
        if actual != expected_md5:
            raise CollectProtocolError(f"{what}: md5 {actual} != listed {expected_md5}", resp)
        return resp.content

    def _openrosa_xml(self, resp, ns, root_name):
        if resp.status_code != 200:
            raise CollectProtocolError(f"{resp.url}: status {resp.status_code}", resp)
        if "X-OpenRosa-Version" not in resp.headers:
            raise CollectProtocolError("not an OpenRosa server (no X-OpenRosa-Version)", resp)
        ctype = resp.headers.get("Content-Type", "")
        if "text/xml" not in ctype.lower():
            raise CollectProtocolError(f"ContentType {ctype!r} is not text/xml", resp)
        try:
            root = etree.fromstring(resp.content, SAFE_PARSER)
        except etree.XMLSyntaxError as exc:
            raise CollectProtocolError(f"unparseable XML: {exc}", resp) from None
        if root.tag != f"{{{ns}}}{root_name}":
            raise CollectProtocolError(f"root is {root.tag}, not {{{ns}}}{root_name}", resp)
        return root

    # ---------------------------------------------------------------- submission
    def submit(self, xml, attachments=(), instance_filename=None):
        """HEAD then POST batches, as Collect. `xml`: bytes or path; `attachments`:
        [(name, bytes | path)]; names are sent verbatim (Collect sends basenames)."""
        url = add_query(self.server_url + "/submission", "deviceID", self.device_id)
        head = self.request("HEAD", url, device=False)
        result = SubmitResult(head.status_code, DEFAULT_ACCEPT_CONTENT_LENGTH, url)
        if not self._after_head(head, result):
            return result
        filename = instance_filename or time.strftime("instance_%Y-%m-%d_%H-%M-%S.xml")
        files = [(name, content, _size(content)) for name, content in attachments]
        plan = plan_batches(_size(xml), [f[2] for f in files], result.accept_content_length)
        for number, batch in enumerate(plan):
            body = MultipartBody()
            body.add("xml_submission_file", xml, filename=filename, content_type="text/xml")
            for index in batch:
                name, content, _ = files[index]
                body.add(name, content, filename=name, content_type=content_type_for(name))
            if number < len(plan) - 1:
                body.add("*isIncomplete*", b"yes")
            resp = self.request("POST", result.submission_url, body.finish(), device=False)
            result.responses.append(resp)
            result.batches.append([files[i][0] for i in batch])
            if resp.status_code not in (201, 202):
                break
        last = result.responses[-1]
        result.message = parse_openrosa_message(last.content)
        result.error = upload_error(last, result.message, url)
        return result

    def _after_head(self, head, result):
        code = head.status_code
        if code == 401:
            result.error = f"authentication required for {urlsplit(head.url).hostname}"
            return False
        if code == 204:
            return self._read_204(head, result)
        if 200 <= code < 300:
            result.error = (f"Failed to send to {head.url}. Is this an OpenRosa submission "
                            f"endpoint? HEAD request result status code: {code}")
            return False
        return True  # 3xx/4xx/5xx: Collect POSTs anyway with the 10 MB default

    def _read_204(self, head, result):
        try:
            result.accept_content_length = int(head.headers["X-OpenRosa-Accept-Content-Length"])
        except (KeyError, ValueError):
            pass
        location = head.headers.get("Location")
        if location:
            target = unquote(location)
            if urlsplit(target).hostname != urlsplit(result.submission_url).hostname:
                result.error = f"Unexpected redirection attempt to a different host: {target}"
                return False
            if not urlsplit(target).query:
                target = f"{target}?{urlsplit(result.submission_url).query}"
            result.submission_url = target
        return True


def _size(content):
    return len(content) if isinstance(content, bytes) else os.path.getsize(content)

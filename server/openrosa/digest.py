"""HTTP Digest authentication (RFC 7616/2617) as ODK Collect's okhttp-digest 3.1.1 speaks it.

We store HA1 = md5(username:realm:password) per enumerator, never the password. Nonces are
stateless: `<hex time>.<random>.<HMAC>` signed with a server secret, so any web process can
check them without shared state; the HMAC binds a nonce to the realm. A nonce older than
`nonce_ttl` seconds is answered with `stale=true`, which makes okhttp-digest recompute with the
new nonce instead of prompting the user. Replays are refused by the nonce count: `accept_count`
(shared state, see server/openrosa/nonce_counts.py) keeps the highest nc seen per nonce, and a
count that does not increase is answered as stale too, so Collect re-authenticates silently
with a fresh nonce while a captured header is worth nothing.
"""
import hashlib
import hmac
import math
import re
import secrets
import time
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

MAX_HEADER_LENGTH = 4096
_REQUIRED = ("username", "realm", "nonce", "uri", "response")
_PARAM = re.compile(
    r'\s*([!#$%&\'*+\-.^_`|~0-9A-Za-z]+)\s*=\s*'
    r'(?:"((?:[^"\\]|\\.)*)"|([^\s,"]*))\s*(?:,|$)')
_HEX32 = re.compile(r"^[0-9a-f]{32}$")
_NC = re.compile(r"^[0-9a-fA-F]{8}$")
_CLOCK_SKEW = 5  # seconds a nonce may appear to come from the future (clock drift between web hosts)


class DigestParseError(ValueError):
    """The Authorization header is not a well-formed Digest credential."""


@dataclass(frozen=True)
class DigestResult:
    """Outcome of `DigestAuth.verify`; on `stale` re-challenge with stale=true."""
    ok: bool
    username: str | None = None
    stale: bool = False
    reason: str = ""


def parse_authorization(header):
    """Parse `Digest k=v, k="v", ...` into a dict with lowercase keys.

    Raises DigestParseError on any other scheme, bad syntax, duplicate or missing fields.
    """
    if not header or len(header) > MAX_HEADER_LENGTH:
        raise DigestParseError("missing or oversized Authorization header")
    scheme, _, rest = _as_text(header).strip().partition(" ")
    if scheme.lower() != "digest":
        raise DigestParseError("not a Digest credential")
    params = _parse_params(rest.strip())
    missing = [name for name in _REQUIRED if not params.get(name)]
    if missing:
        raise DigestParseError(f"missing {', '.join(missing)}")
    return params


def _parse_params(text):
    params, pos = {}, 0
    while pos < len(text):
        match = _PARAM.match(text, pos)
        if not match or match.end() == pos:
            raise DigestParseError(f"bad syntax at offset {pos}")
        name = match.group(1).lower()
        quoted = match.group(2)
        value = re.sub(r"\\(.)", r"\1", quoted) if quoted is not None else match.group(3)
        if name in params:
            raise DigestParseError(f"duplicate {name}")
        params[name] = value
        pos = match.end()
    return params


def _as_text(header):
    # WSGI hands headers over as latin-1; okhttp writes non-ASCII user names as UTF-8.
    try:
        return header.encode("latin-1").decode("utf-8")
    except UnicodeError:
        return header


def uri_matches(digest_uri, path, query=""):
    """Whether the `uri` the client hashed names this request (decoded path + query)."""
    parts = urlsplit(digest_uri)
    if unquote(parts.path) != unquote(path):
        return False
    return (parse_qsl(parts.query, keep_blank_values=True)
            == parse_qsl(query or "", keep_blank_values=True))


class DigestAuth:
    """Challenges and verifies Digest credentials for one realm with stateless nonces."""

    def __init__(self, secret, realm, nonce_ttl=300, clock=time.time, accept_count=None):
        """`accept_count(nonce, nc, ttl)` is True if `nc` is above every count seen for `nonce`
        (and records it for `ttl` seconds); without it nonce counts are not tracked."""
        self.secret = secret if isinstance(secret, bytes) else secret.encode("utf-8")
        self.realm = realm
        self.nonce_ttl = nonce_ttl
        self.clock = clock
        self.accept_count = accept_count
        self.opaque = self._sign("opaque")

    def _sign(self, text):
        mac = hmac.new(self.secret, f"{self.realm}\n{text}".encode("utf-8"), hashlib.sha256)
        return mac.hexdigest()[:32]

    def make_nonce(self):
        """A fresh signed nonce embedding the current time."""
        body = f"{int(self.clock()):x}.{secrets.token_hex(8)}"
        return f"{body}.{self._sign(body)}"

    def nonce_age(self, nonce):
        """Seconds since `nonce` was issued, or None if it was not signed by us."""
        body, _, sig = nonce.rpartition(".")
        stamp = body.partition(".")[0]
        if not body or not hmac.compare_digest(sig.encode(), self._sign(body).encode()):
            return None
        try:
            return self.clock() - int(stamp, 16)
        except ValueError:
            return None

    def is_fresh(self, nonce):
        age = self.nonce_age(nonce)
        return age is not None and -_CLOCK_SKEW <= age <= self.nonce_ttl

    def challenge(self, stale=False, domain=None):
        """The WWW-Authenticate value: Digest, qop auth, MD5, signed nonce, opaque."""
        parts = [f'realm="{_quote(self.realm)}"']
        if domain:
            parts.append(f'domain="{_quote(domain)}"')
        parts += ['qop="auth"', f'nonce="{self.make_nonce()}"', f'opaque="{self.opaque}"',
                  "algorithm=MD5"]
        if stale:
            parts.append("stale=true")
        # okhttp-digest hashes credentials as ASCII unless told the charset.
        parts.append('charset="UTF-8"')
        return "Digest " + ", ".join(parts)

    def challenges(self, secure, stale=False, domain=None):
        """All WWW-Authenticate values to send: Digest, plus Basic only over https."""
        values = [self.challenge(stale=stale, domain=domain)]
        if secure:
            values.append(f'Basic realm="{_quote(self.realm)}", charset="UTF-8"')
        return values

    def verify(self, header, method, path, query, lookup_ha1):
        """Check a Digest `header` for `method` on `path`?`query`.

        `lookup_ha1(username)` returns the stored HA1 or None. The response is checked
        before freshness, so `stale=True` is only ever reported to a client that knows
        the password (okhttp-digest then retries silently).
        """
        try:
            params = parse_authorization(header)
        except DigestParseError as exc:
            return DigestResult(False, reason=f"malformed: {exc}")
        problem = self._check_params(params, path, query)
        if problem:
            return DigestResult(False, params.get("username"), reason=problem)
        if not self._response_ok(params, method, lookup_ha1(params["username"])):
            return DigestResult(False, params["username"], reason="wrong credentials")
        if not self.is_fresh(params["nonce"]):
            return DigestResult(False, params["username"], stale=True, reason="stale nonce")
        if not self._count_ok(params):
            return DigestResult(False, params["username"], stale=True, reason="replayed nonce count")
        return DigestResult(True, params["username"])

    def _count_ok(self, params):
        if self.accept_count is None:
            return True
        life = self.nonce_ttl + _CLOCK_SKEW - self.nonce_age(params["nonce"])
        return self.accept_count(params["nonce"], int(params["nc"], 16), max(1, math.ceil(life)))

    def _check_params(self, params, path, query):
        if params["realm"] != self.realm:
            return "wrong realm"
        if params.get("algorithm", "MD5").upper() != "MD5":
            return "unsupported algorithm"
        if params.get("qop") != "auth":
            return "qop must be auth"
        if not _NC.match(params.get("nc", "")) or not params.get("cnonce"):
            return "missing nc or cnonce"
        if "opaque" in params and not hmac.compare_digest(params["opaque"].encode(), self.opaque.encode()):
            return "wrong opaque"
        if not uri_matches(params["uri"], path, query):
            return "uri does not match the request"
        if not _HEX32.match(params["response"].lower()):
            return "malformed response"
        return ""

    def _response_ok(self, params, method, stored_ha1):
        # Unknown users are hashed against a dummy so timing does not reveal them.
        known = stored_ha1 is not None
        ha1_value = stored_ha1 if known else "0" * 32
        ha2 = _md5(f"{method}:{params['uri']}")
        expected = _md5(":".join((ha1_value, params["nonce"], params["nc"],
                                  params["cnonce"], "auth", ha2)))
        same = hmac.compare_digest(expected, params["response"].lower())
        return known and same


def _md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _quote(value):
    return value.replace("\\", "\\\\").replace('"', '\\"')

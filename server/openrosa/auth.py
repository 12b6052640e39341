"""Who is calling an OpenRosa route: a token in the URL, or HTTP Digest (Basic over https only).

Token mode never answers 401: Collect would prompt for a password it can never use, so a bad,
revoked or inactive token is 403 (openrosa.md item 12). Password mode answers 401 with a Digest
challenge (and a Basic one over https, item 9); nonces are stateless and live an hour, so a phone
syncing slowly in a village is not re-challenged mid-upload, and their counts are tracked in Redis
(nonce_counts) so a captured Authorization header cannot be replayed. HA1 is kept encrypted.
"""
import hmac
from dataclasses import dataclass
from typing import Optional

from flask import current_app, request
from sqlalchemy import bindparam, select

from server.infra import secrets_box
from server.accounts.users import DIGEST_REALM, ha1
from server.infra.errors import Problem
from server.infra.database import read_first
from server.models import Enumerator, Evaluation
from server.openrosa.digest import DigestAuth
from server.openrosa.messages import message, status_for
from server.openrosa.nonce_counts import accept_count
from server.submissions.refusals import coded

NONCE_TTL = 3600

# Built once: the request path runs them for every request, and building costs more than running.
_BY_TOKEN = (select(Enumerator.id, Enumerator.active, Enumerator.team, Evaluation.id.label("evaluation_id"),
                    Evaluation.code, Evaluation.default_language)
             .join(Evaluation, Evaluation.id == Enumerator.evaluation_id)
             .where(Enumerator.token_hash == bindparam("token_hash")))
_EVALUATION = select(Evaluation.id, Evaluation.default_language).where(Evaluation.code == bindparam("code"))
_BY_USERNAME = (select(Enumerator.id, Enumerator.active, Enumerator.team, Enumerator.digest_ha1_encrypted)
                .where(Enumerator.evaluation_id == bindparam("evaluation_id"),
                       Enumerator.username == bindparam("username")))


@dataclass(frozen=True)
class Caller:
    """The authenticated enumerator and their evaluation, plus the Collect base URL `{S}`; `team` says
    which forms they get (server.questionnaires.audience)."""
    evaluation_id: int
    code: str
    language: str
    enumerator_id: int
    base_url: str
    team: Optional[str] = None


class AuthProblem(Problem):
    """An auth failure; `challenge` means answer 401 with WWW-Authenticate (stale or not)."""

    def __init__(self, code, language, challenge=False, stale=False):
        super().__init__(code, message(code, "en"), status=status_for(code))
        self.language = language
        self.challenge = challenge
        self.stale = stale

    def localized(self, lang):
        return message(self.code, lang)


def authenticate(code, token=None):
    """The Caller for this request, or raise AuthProblem / Problem evaluation.not_found."""
    if token is not None:
        return _by_token(code, token)
    return _by_password(code)


def _by_token(code, token):
    row = read_first(_BY_TOKEN, {"token_hash": secrets_box.token_hash(token)})
    if row is None or row.code != code:
        raise AuthProblem("auth.bad_token", _default_language())
    if not row.active:
        raise AuthProblem("auth.inactive", row.default_language)
    return Caller(row.evaluation_id, code, row.default_language, row.id,
                  f"{_public_root()}/key/{token}/{code}", row.team)


def _by_password(code):
    evaluation = read_first(_EVALUATION, {"code": code})
    if evaluation is None:
        raise coded("evaluation.not_found", evaluation=code)
    language = evaluation.default_language
    found = {}

    def lookup(username):
        row = found["row"] = read_first(_BY_USERNAME, {"evaluation_id": evaluation.id, "username": username})
        sealed = row.digest_ha1_encrypted if row else None
        return secrets_box.decrypt(sealed) if sealed else None

    if not _credentials_ok(lookup, language):
        raise AuthProblem("auth.bad_credentials", language, challenge=True)
    if not found["row"].active:
        raise AuthProblem("auth.inactive", language)
    return Caller(evaluation.id, code, language, found["row"].id, f"{_public_root()}/{code}",
                  found["row"].team)


def _credentials_ok(lookup, language):
    header = request.headers.get("Authorization", "")
    scheme = header.partition(" ")[0].lower()
    if scheme == "basic" and request.is_secure and request.authorization:
        sent = request.authorization
        stored = lookup(sent.username or "")
        expected = ha1(sent.username or "", DIGEST_REALM, sent.password or "")
        return stored is not None and hmac.compare_digest(stored, expected)
    if scheme != "digest":
        raise AuthProblem("auth.required", language, challenge=True)
    result = digest().verify(header, request.method, request.script_root + request.path,
                             request.query_string.decode("latin-1"), lookup)
    if result.stale:
        raise AuthProblem("auth.required", language, challenge=True, stale=True)
    return result.ok


def digest():
    """This app's DigestAuth (nonces signed with SECRET_KEY, so every process can check them)."""
    extensions = current_app.extensions
    if "openrosa_digest" not in extensions:
        extensions["openrosa_digest"] = DigestAuth(current_app.config["SECRET_KEY"], DIGEST_REALM,
                                                   nonce_ttl=NONCE_TTL, accept_count=accept_count)
    return extensions["openrosa_digest"]


def challenge_headers(stale=False, code=None):
    """WWW-Authenticate values for a 401: Digest always, Basic only over https."""
    domain = f"{request.script_root}/{code}/" if code else None
    return [("WWW-Authenticate", value)
            for value in digest().challenges(request.is_secure, stale=stale, domain=domain)]


def _public_root():
    configured = current_app.config.get("PUBLIC_URL")
    return (configured or request.url_root).rstrip("/")


def _default_language():
    return current_app.config.get("BABEL_DEFAULT_LOCALE", "zh")

"""A form's own `submission_url` (XLSForm settings): never a credential, never another server.

Collect posts a form's interviews to the URL in its `<submission action>` when there is one, so a
URL holding an enumerator's token (`/key/<token>/...`) would hand that secret to every phone and
credit every interview to that enumerator; one to another server would send interviews away.
Publishing refuses both. A plain URL of this server is dropped, with a warning on the version: Collect
then uses each phone's own server URL, which is exactly right for every enumerator.

"This server" is PUBLIC_URL's host and the host the upload was sent to (`hosts`: a conversion runs in a
worker, so the API passes the request's host on). Knowing neither (the CLI without PUBLIC_URL), a URL
cannot be told foreign, and is dropped with the warning all the same: nothing is ever served with it.
"""
import dataclasses
from urllib.parse import parse_qsl, unquote, urlsplit

from flask import current_app, has_request_context, request
from sqlalchemy import select

from forms import without_submission_url
from server.infra import secrets_box
from server.infra.errors import Problem
from server.infra.i18n import Texts
from server.infra.extensions import db
from server.models import ApiToken, Enumerator

_SECRET_NAMES = {"token", "key", "access_token", "auth", "password", "secret", "api_key"}
_MESSAGES = {
    "form.submission_url_credential": (
        "The form's submission_url ({url}) carries a credential; every phone would receive it. Remove "
        "submission_url from the settings sheet: ODK Collect sends to its own server URL.",
        "表单设置中的 submission_url（{url}）含有访问凭据，会被发给每一部手机。请从 settings 表中删除 "
        "submission_url：ODK Collect 会发送到各自配置的服务器地址。"),
    "form.submission_url_foreign": (
        "The form's submission_url ({url}) points at another server; interviews would be sent there. "
        "Remove submission_url from the settings sheet.",
        "表单设置中的 submission_url（{url}）指向其他服务器，问卷将被发送到那里。请从 settings 表中删除 "
        "submission_url。"),
}
_DROPPED = {
    "en": "The form's submission_url ({url}) was removed: ODK Collect sends each interview to the server URL "
          "of the phone that filled it in.",
    "zh": "已删除表单设置中的 submission_url（{url}）：ODK Collect 会把问卷发送到填写该问卷的手机所配置的服务器地址。",
}


def checked(compiled, lang="zh", hosts=()):
    """`compiled` without its submission_url (and a warning saying so, in `lang`: version warnings are
    stored text); Problem (422) form.submission_url_credential or form.submission_url_foreign (in both
    languages) if that URL must not be served.
    `hosts`: host names this server was reached by, besides PUBLIC_URL's and the request's."""
    url = compiled.submission_url
    if url is None:
        return compiled
    parts = urlsplit(url.strip())
    if _carries_credential(parts):  # shown without its path and query: the message is not a new leak
        raise _refused("form.submission_url_credential", f"{parts.scheme}://{parts.hostname}/…")
    ours = _own_hosts() | {_hostname(h) for h in hosts if h}
    if parts.hostname and ours and parts.hostname.lower() not in ours:
        raise _refused("form.submission_url_foreign", url)
    warning = _DROPPED["zh" if lang == "zh" else "en"].format(url=url[:200])
    dropped = without_submission_url(compiled)
    return dataclasses.replace(dropped, warnings=dropped.warnings + (warning,))


def request_hosts():
    """The host this request was sent to, for a conversion done later in a worker (`checked`'s hosts)."""
    return [request.host] if has_request_context() and request.host else []


def _carries_credential(parts):
    segments = [unquote(s) for s in parts.path.split("/") if s]
    query = parse_qsl(parts.query, keep_blank_values=True)
    if parts.username or parts.password or "key" in segments:
        return True
    if any(name.lower() in _SECRET_NAMES for name, _ in query):
        return True
    return _is_known_token(segments + [value for _, value in query])


def _is_known_token(values):
    """Whether any of `values` is a live Collect or API token (looked up by hash, as on sign-in)."""
    hashes = [secrets_box.token_hash(v) for v in values if len(v) >= 16][:50]
    if not hashes:
        return False
    enumerator = select(Enumerator.id).where(Enumerator.token_hash.in_(hashes))
    api = select(ApiToken.id).where(ApiToken.token_hash.in_(hashes))
    return db.session.execute(enumerator.union_all(api).limit(1)).first() is not None


def _own_hosts():
    """The host names this server answers to: PUBLIC_URL's, and the request's (empty: unknown)."""
    hosts = set()
    public = current_app.config.get("PUBLIC_URL")
    if public and urlsplit(public).hostname:
        hosts.add(urlsplit(public).hostname.lower())
    hosts.update(_hostname(h) for h in request_hosts())
    return hosts


def _hostname(host):
    return (urlsplit(f"//{host}").hostname or "").lower()


def _refused(code, url):
    en, zh = _MESSAGES[code]
    message = Texts(en.format(url=url[:200]), zh.format(url=url[:200]))
    return Problem(code, message, 422, [{"field": "submission_url", "message": message}])

"""Who is calling the API, and may they do this in this evaluation?

Two kinds of caller: an API token (`Authorization: Bearer fc_...`, scoped to one evaluation) and a
signed-in user (session cookie from POST /api/v1/session, checked on the server by server.sessions,
with an X-CSRF-Token on unsafe methods).
A caller who may not see an evaluation gets 404 for it, so codes of other evaluations do not leak.
"""
import functools
import hmac
from datetime import timedelta
from dataclasses import dataclass
from typing import Optional

from flask import request, session

from server.accounts import api_tokens
from server.infra.errors import Problem, not_found
from server.infra.i18n import msg
from server.accounts.evaluations import get_evaluation, role_of
from server.accounts.roles import allowed
from server.models import ApiToken, User
from server.models.types import utcnow
from server.sessions import session_user

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
_PRINCIPAL = "fieldcheck.principal"
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass
class Principal:
    user: Optional[User] = None
    token: Optional[ApiToken] = None

    @property
    def name(self):
        return f"user:{self.user.username}" if self.user else f"token:{self.token.id}"

    def role_in(self, evaluation):
        if self.token is not None:
            return f"token:{self.token.scope}" if self.token.evaluation_id == evaluation.id else None
        return role_of(self.user, evaluation)

    def may(self, action, evaluation):
        return allowed(self.role_in(evaluation), action)


def current_principal():
    """The caller, or raise 401. Cached on the request (not on `g`, which can outlive it)."""
    if _PRINCIPAL not in request.environ:
        request.environ[_PRINCIPAL] = _from_bearer() or _from_session()
    principal = request.environ[_PRINCIPAL]
    if principal is None:
        raise Problem("auth.required",
                      msg("Sign in, or send an API token as 'Authorization: Bearer ...'."), 401)
    return principal


def _from_bearer():
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = api_tokens.find_token(header[len("Bearer "):].strip())
    if token is None:
        raise Problem("auth.bad_token", msg("This API token is unknown or has been revoked."), 401)
    now = utcnow()
    # Once a minute is enough to show use, and it keeps parallel requests of one token from
    # queueing behind a row lock held until each request commits.
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        token.last_used_at = now
    return Principal(token=token)


def _from_session():
    user = session_user(session)
    if user is None:
        return None
    if request.method in UNSAFE:
        sent = request.headers.get("X-CSRF-Token", "")
        if not hmac.compare_digest(sent, session.get("csrf", "")):
            raise Problem("auth.csrf", msg("The X-CSRF-Token header is missing or wrong."), 403)
    return Principal(user=user)


def evaluation_for(code, action):
    """Load the evaluation `code` if the caller may do `action` there; 404 if they may not see it."""
    principal = current_principal()
    try:
        evaluation = get_evaluation(code)
    except Problem:
        evaluation = None
    if evaluation is None or principal.role_in(evaluation) is None:
        raise not_found("evaluation", code)
    if not principal.may(action, evaluation):
        raise Problem("auth.forbidden", msg("Your role may not do this in this evaluation (%(action)s).",
                                            action=action), 403)
    return evaluation


def requires(action):
    """View decorator for routes with a `<code>` parameter: passes the evaluation as `evaluation`."""
    def decorate(view):
        @functools.wraps(view)
        def wrapper(code, **kwargs):
            return view(evaluation=evaluation_for(code, action), **kwargs)
        return wrapper
    return decorate


def requires_site_admin():
    principal = current_principal()
    if principal.user is None or not principal.user.is_site_admin:
        raise Problem("auth.forbidden", msg("Only a site admin may do this."), 403)
    return principal

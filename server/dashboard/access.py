"""Who is signed in to the dashboard and what they may do in an evaluation.

The roles and permissions are the one table in server/accounts/roles.py, as for the API; a user who
may not see an evaluation gets 404 for it, as in the API, so codes of other evaluations do not leak.
"""
import functools
from urllib.parse import urlsplit

from flask import g, redirect, request, session, url_for

from server.accounts.evaluations import get_evaluation, role_of
from server.accounts.roles import allowed
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.sessions import session_user


def signed_in(view):
    """Redirect a signed-out visitor to the sign-in page, coming back here afterwards."""
    @functools.wraps(view)
    def wrapper(**kwargs):
        g.user = session_user(session)
        if g.user is None:
            return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
        return view(**kwargs)
    return wrapper


def in_evaluation(action="read"):
    """For routes with `<code>`: signed in, and allowed `action` there; passes `evaluation`."""
    def decorate(view):
        @functools.wraps(view)
        @signed_in
        def wrapper(code, **kwargs):
            g.evaluation = evaluation_for(g.user, code, action)
            return view(evaluation=g.evaluation, **kwargs)
        return wrapper
    return decorate


def evaluation_for(user, code, action):
    try:
        evaluation = get_evaluation(code)
    except Problem:
        evaluation = None
    role = role_of(user, evaluation) if evaluation is not None else None
    if role is None:
        raise Problem("evaluation.not_found", msg("There is no evaluation %(key)r.", key=code), 404)
    g.role = role
    if not allowed(role, action):
        raise Problem("auth.forbidden", msg("Your role in this evaluation may not do this."), 403)
    return evaluation


def may(action):
    return allowed(getattr(g, "role", None), action)


def actor():
    return f"user:{g.user.username}"


def safe_next(target, default="/"):
    """A local path to go back to after signing in; anything else (another host, //host, a scheme,
    backslashes that browsers read as slashes) goes to `default`."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target

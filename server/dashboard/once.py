"""A form post is done once, and a secret made by one is shown once.

Each form that changes something carries a fresh token (`{{ once_field() }}`, new at each rendering) and
its view is `@guarded`. The first post with a token claims it in Redis (SET NX, per user and path) and does
the work; a second post of the same form (a double click: the browser drops the first answer and shows the
second's) waits for the first to finish and is sent where the first went. A post that answers a page
instead of a redirect (a field to fix) gives its token back, so the corrected form can be sent again.

A generated password is kept encrypted in Redis for a few minutes under a random key, and the page that
shows it takes it away: reloading that page or going back to it shows it no more.

With Redis down the guard steps aside (the work itself still refuses what it must: a username taken, an
assignment that exists) and a secret is shown in the answer to the post itself.
"""
import functools
import logging
import secrets
import time

from flask import current_app, flash, g, redirect, request
from flask_babel import gettext as _
from markupsafe import Markup

from server.dashboard.blueprint import bp
from server.infra import secrets_box
from server.infra.errors import Problem
from server.infra.i18n import msg

log = logging.getLogger(__name__)
FIELD = "once"
TTL = 3600          # seconds a used token is remembered
SECRET_TTL = 600    # seconds a generated password waits to be shown
WAIT = 15.0         # seconds a second post waits for the first
PENDING = b"pending"


@bp.app_template_global()
def once_field():
    return Markup(f'<input type="hidden" name="{FIELD}" value="{secrets.token_urlsafe(16)}">')


def guarded(view):
    """For POST views that answer a redirect when they did the work, and a page when they did not."""
    @functools.wraps(view)
    def wrapper(**kwargs):
        token = request.form.get(FIELD, "")
        if not 8 <= len(token) <= 64:
            raise Problem("form.no_once", msg("This form is missing its one-time token; reload the page."),
                          400)
        key = _key("once", f"{request.path}:{token}")
        redis = _redis()
        repeat = _claim_or_follow(redis, key) if redis is not None else None
        if repeat is not None:
            return repeat
        try:
            answer = view(**kwargs)
        except BaseException:
            _forget(redis, key)
            raise
        if getattr(answer, "status_code", 200) in (302, 303) and answer.location:
            _store(redis, key, f"{answer.status_code} {answer.location}")
        else:
            _forget(redis, key)
        return answer
    return wrapper


def keep_secret(text):
    """Keep `text` encrypted for SECRET_TTL seconds for the signed-in user; its key, or None without Redis."""
    redis = _redis()
    if redis is None:
        return None
    key = secrets.token_urlsafe(16)
    try:
        redis.set(_key("secret", key), secrets_box.encrypt(text), ex=SECRET_TTL)
    except Exception as exc:
        log.warning("once: Redis unavailable, the secret is shown in the answer (%s)", exc)
        return None
    return key


def take_secret(key):
    """The secret kept under `key` for the signed-in user, removed as it is read; None when gone."""
    redis = _redis()
    if redis is None or not key:
        return None
    try:
        raw = redis.getdel(_key("secret", key))
    except Exception as exc:
        log.warning("once: Redis unavailable (%s)", exc)
        return None
    return secrets_box.decrypt(raw.decode()) if raw else None


def _key(kind, value):
    return f"fieldcheck:{kind}:{g.user.id}:{value}"  # another user's key is never theirs


def _redis():
    try:
        connection = current_app.extensions["rq"].connection
        connection.ping()
        return connection
    except Exception:  # Redis away: no guard rather than no dashboard
        log.warning("double-post guard off: Redis is unavailable")
        return None


def _claim_or_follow(redis, key):
    """None once this post holds the token; else, for a repeat, a redirect to where the first post went
    when it is done, or back to the form if it takes too long."""
    deadline = time.monotonic() + WAIT
    try:
        while not redis.set(key, PENDING, nx=True, ex=TTL):  # free again if the first changed nothing
            value = redis.get(key)
            if value not in (None, PENDING):
                status, location = value.decode().split(" ", 1)  # as the first was answered
                flash(_("This form was sent twice; it was carried out once."), "info")
                return redirect(location, int(status))
            if time.monotonic() >= deadline:
                flash(_("This form was already sent; check the result before sending it again."), "error")
                return redirect(request.referrer if _same_site(request.referrer) else request.path, 303)
            time.sleep(0.1)
    except Exception as exc:  # Redis went away meanwhile: unguarded rather than refused
        log.warning("double-post guard off: %s", exc)
    return None


def _same_site(url):
    return bool(url) and url.startswith(request.host_url)


def _store(redis, key, location):
    try:
        redis.set(key, location, ex=TTL)
    except Exception:
        pass


def _forget(redis, key):
    if redis is None:
        return
    try:
        redis.delete(key)
    except Exception:
        pass

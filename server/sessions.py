"""Signed-in sessions the server can end: sign-out, password change, deactivation, "sign out
everywhere", and expiry after an idle time. The API and the dashboard both use these four functions.

Flask keeps a session in a signed cookie, which nothing can revoke by itself. So signing in also
writes a `user_session` row and puts a random key in the cookie (only its sha256 is stored); every
request checks that the row is still open and the user still active, in one indexed read. Idle
expiry needs no write per request: the signed cookie carries the time of last use (refreshed at
most once a minute), and an older copy of a cookie is never newer than the one in use.

Like all domain code these functions add to the caller's transaction; the view or command commits.
"""
import hashlib
import secrets
import time

from flask import current_app
from sqlalchemy import select, update

from server.infra.extensions import db
from server.models import User, UserSession
from server.models.types import utcnow

SEEN_RESOLUTION = 60  # seconds: the last-use time in the cookie is refreshed at most this often


def start_session(session, user):
    """Sign `user` in on the Flask `session`: a fresh session (nothing of the old one survives, so a
    fixated cookie is worthless), bound to a new server-side record, with a new CSRF token at
    session["csrf"] and its start time."""
    session.clear()
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=_hash(key)))
    now = int(time.time())
    session.update(user_id=user.id, sid=key, csrf=secrets.token_urlsafe(24), started=now, seen=now)


def end_session(session):
    """Sign out: close the server-side record, so a copy of the cookie no longer works either."""
    key = session.get("sid")
    if key:
        db.session.execute(update(UserSession)
                           .where(UserSession.key_hash == _hash(key), UserSession.ended_at.is_(None))
                           .values(ended_at=utcnow()))
    session.clear()


def session_user(session):
    """The signed-in User, or None: signed out, revoked, idle or past its lifetime, user deactivated.

    A session that no longer counts is cleared (the browser drops its cookie); a live one has its
    idle timer refreshed.
    """
    key, user_id = session.get("sid"), session.get("user_id")
    if not key or not user_id:
        return None
    now = time.time()
    if _expired(session, now):
        session.clear()
        return None
    user = db.session.execute(
        select(User).join(UserSession, UserSession.user_id == User.id)
        .where(UserSession.key_hash == _hash(key), UserSession.ended_at.is_(None),
               User.id == user_id, User.active.is_(True))).scalar()
    if user is None:
        session.clear()
        return None
    if now - session.get("seen", 0) >= SEEN_RESOLUTION:
        session["seen"] = int(now)
    return user


def revoke_all(user):
    """End every open session of `user` (password change, deactivation, "sign out everywhere").
    Returns how many were open."""
    result = db.session.execute(update(UserSession)
                                .where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
                                .values(ended_at=utcnow()))
    return result.rowcount


def _expired(session, now):
    config = current_app.config
    idle = config["SESSION_IDLE_MINUTES"] * 60
    lifetime = config["SESSION_MAX_HOURS"] * 3600
    return now - session.get("seen", 0) > idle or now - session.get("started", 0) > lifetime


def _hash(key):
    return hashlib.sha256(key.encode("utf-8")).hexdigest()

"""Sign in and out of the API (and the dashboard) with a username and password; change one's password.

Sessions are ended on the server (server.sessions): after sign-out, a password change or
deactivation an old cookie is refused.
"""
from flask import jsonify, request, session
from marshmallow import Schema, fields
from werkzeug.security import check_password_hash

from server.accounts import audit, users
from server.accounts.users import authenticate
from server.api.blueprint import bp
from server.api.auth import current_principal
from server.infra import rate_limits
from server.api.openapi import documented
from server.api.route_examples import LOGIN_EXAMPLE, PASSWORD_CHANGE_EXAMPLE, SESSION_ANSWER
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.sessions import end_session, start_session


class LoginSchema(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class SessionSchema(Schema):
    username = fields.String()
    csrf_token = fields.String(metadata={"description": "Send it as X-CSRF-Token on POST/PUT/PATCH/DELETE."})


class PasswordChangeSchema(Schema):
    current_password = fields.String(required=True, load_only=True)
    new_password = fields.String(required=True, load_only=True)


@bp.post("/session")
@documented("Sign in", request=LoginSchema, response=SessionSchema, auth=False, example=LOGIN_EXAMPLE,
            response_example=SESSION_ANSWER)
@rate_limits.both("SIGN_IN", rate_limits.sign_in_name, failures_only=True)
def sign_in():
    data = LoginSchema().load(request.get_json(force=True, silent=True) or {})
    try:
        user = authenticate(data["username"], data["password"])
    except Problem:
        db.session.commit()  # keep the failure count
        raise
    start_session(session, user)
    audit.record(f"user:{user.username}", "session.sign_in", f"user:{user.id}")
    db.session.commit()
    return _signed_in(user)


@bp.delete("/session")
@documented("Sign out (the session ends on the server: a copy of the cookie no longer works)", status=204)
def sign_out():
    current_principal()
    end_session(session)
    db.session.commit()
    return "", 204


@bp.put("/session/password")
@documented("Change your own password; every other session of yours ends, this one is renewed",
            request=PasswordChangeSchema, response=SessionSchema, example=PASSWORD_CHANGE_EXAMPLE,
            response_example=SESSION_ANSWER)
def change_own_password():
    user = current_principal().user
    if user is None:
        raise Problem("auth.forbidden", msg("Only a signed-in user has a password to change."), 403)
    data = PasswordChangeSchema().load(request.get_json(force=True, silent=True) or {})
    if not check_password_hash(user.password_hash, data["current_password"]):
        raise Problem("auth.bad_credentials", msg("The current password is wrong."), 401)
    users.change_password(user, data["new_password"], actor=f"user:{user.username}")
    start_session(session, user)
    db.session.commit()
    return _signed_in(user)


def _signed_in(user):
    return jsonify(SessionSchema().dump({"username": user.username, "csrf_token": session["csrf"]}))

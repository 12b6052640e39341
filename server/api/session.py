"""Sign in and out of the API (and the dashboard) with a username and password."""
import secrets

from flask import jsonify, request, session
from marshmallow import Schema, fields

from server import audit
from server.accounts import verify_user
from server.api import bp
from server.api.auth import current_principal
from server.api.openapi import documented
from server.errors import Problem
from server.extensions import db


class LoginSchema(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True, load_only=True)


class SessionSchema(Schema):
    username = fields.String()
    csrf_token = fields.String(metadata={"description": "Send it as X-CSRF-Token on POST/PUT/PATCH/DELETE."})


@bp.post("/session")
@documented("Sign in", request=LoginSchema, response=SessionSchema, auth=False)
def sign_in():
    data = LoginSchema().load(request.get_json(force=True, silent=True) or {})
    user = verify_user(data["username"], data["password"])
    if user is None:
        raise Problem("auth.bad_credentials", "Wrong username or password.", 401)
    session.clear()
    session.update(user_id=user.id, csrf=secrets.token_urlsafe(24))
    audit.record(f"user:{user.username}", "session.sign_in", f"user:{user.id}")
    db.session.commit()
    return jsonify(SessionSchema().dump({"username": user.username, "csrf_token": session["csrf"]}))


@bp.delete("/session")
@documented("Sign out")
def sign_out():
    current_principal()
    session.clear()
    return "", 204

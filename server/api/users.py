"""Web users, for site admins: deactivate one, or end all of someone's sessions ("sign out everywhere").

A user may also sign themselves out everywhere.
"""
from flask import jsonify
from marshmallow import Schema, fields

from server.accounts import users
from server.api.blueprint import bp
from server.api.auth import current_principal, requires_site_admin
from server.api.openapi import documented
from server.api.route_examples import DEACTIVATED_USER_ANSWER, SESSIONS_ENDED_ANSWER
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db


class SessionsEndedSchema(Schema):
    ended = fields.Integer(metadata={"description": "how many sessions were open and are now ended"})


class UserStateSchema(Schema):
    username = fields.String()
    active = fields.Boolean()


@bp.delete("/users/<username>/sessions")
@documented("Sign a user out everywhere (site admins, or the user themselves)", response=SessionsEndedSchema,
            response_example=SESSIONS_ENDED_ANSWER)
def sign_out_everywhere(username):
    principal = current_principal()
    own = principal.user is not None and principal.user.username == username
    if not own:
        requires_site_admin()
    user = users.find_user(username)
    ended = users.sign_out_everywhere(user, actor=principal.name)
    db.session.commit()
    return jsonify({"ended": ended})


@bp.post("/users/<username>/deactivate")
@documented("Deactivate a user (site admins): no more sign-ins, and every session ends now",
            response=UserStateSchema, response_example=DEACTIVATED_USER_ANSWER)
def deactivate(username):
    principal = requires_site_admin()
    user = users.find_user(username)
    if user.id == principal.user.id:
        raise Problem("user.self_deactivation", msg("You cannot deactivate yourself."), 409)
    users.deactivate_user(user, actor=principal.name)
    db.session.commit()
    return jsonify(UserStateSchema().dump(user))

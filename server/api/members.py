"""An evaluation's users and their roles, and its audit log, for those allowed "users" there (admins).

The same domain services as the dashboard's Users page (server/accounts/members.py, audit_log.py).
A generated password is in one answer only (Cache-Control: no-store).
"""
from flask import jsonify, request
from marshmallow import Schema, fields, validate

from server.accounts import audit_log, members
from server.accounts.roles import ROLES
from server.api.auth import current_principal, requires
from server.api.blueprint import bp
from server.api.openapi import documented
from server.api.route_examples import (ACTIVATED_MEMBER_ANSWER, AUDIT_ANSWER, CHANGED_ROLE_ANSWER,
                                       DEACTIVATED_MEMBER_ANSWER, MEMBERS_ANSWER, NEW_MEMBER_ANSWER,
                                       NEW_USER_EXAMPLE, PASSWORD_RESET_ANSWER, ROLE_EXAMPLE)
from server.infra.extensions import db

PREFIX = "/evaluations/<code>/users"
NO_STORE = {"Cache-Control": "no-store"}


class UserRoleSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    role = fields.String(metadata={"description": "admin, supervisor or viewer in this evaluation"})
    site_admin = fields.Boolean(metadata={"description": "an admin in every evaluation"})
    active = fields.Boolean()
    password = fields.String(metadata={"description": "a generated password: in this answer only"})


class NewUserSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(1, 80))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    display_name = fields.String(load_default="", validate=validate.Length(0, 200))


class RoleSchema(Schema):
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


class PasswordSchema(Schema):
    username = fields.String()
    password = fields.String(metadata={"description": "the new password, in this answer only"})


class AuditQuerySchema(Schema):
    actor = fields.String(metadata={"description": "a username, or an actor as logged (token:3, cli)"})
    action = fields.String(metadata={"description": "an action (user.create) or a family (user)"})
    since = fields.Date(metadata={"description": "first China day, YYYY-MM-DD"})
    until = fields.Date(metadata={"description": "last China day, YYYY-MM-DD"})
    after = fields.String(metadata={"description": "next_cursor of the page before"})
    limit = fields.Integer(load_default=audit_log.PAGE, validate=validate.Range(1, audit_log.MAX_PAGE))


class AuditEntrySchema(Schema):
    id = fields.Integer()
    at = fields.DateTime()
    actor = fields.String()
    action = fields.String()
    target = fields.String()
    details = fields.Dict()


class AuditPageSchema(Schema):
    items = fields.List(fields.Nested(AuditEntrySchema))
    next_cursor = fields.String(allow_none=True)


def _member(evaluation, user, password=None):
    row = {"username": user.username, "display_name": user.display_name, "active": user.active,
           "site_admin": user.is_site_admin, "role": "admin" if user.is_site_admin else None}
    if not user.is_site_admin:
        row["role"] = next((m.role for m in user.memberships if m.evaluation_id == evaluation.id), None)
    if password is not None:
        row["password"] = password
    return UserRoleSchema().dump(row)


@bp.get(PREFIX)
@documented("The evaluation's users with their roles (and the site admins)",
            response=UserRoleSchema(many=True), response_example=MEMBERS_ANSWER)
@requires("users")
def list_members(evaluation):
    return jsonify([_member(evaluation, m["user"]) for m in members.members(evaluation)])


@bp.post(PREFIX)
@documented("Add a user with a role: a new username is created with a generated password (in this answer "
            "only); an existing user of another evaluation gets the role here", request=NewUserSchema,
            response=UserRoleSchema, status=201,
            example=NEW_USER_EXAMPLE,
            response_example=NEW_MEMBER_ANSWER)
@requires("users")
def add_member(evaluation):
    body = NewUserSchema().load(request.get_json(silent=True) or {})
    user, password = members.add(evaluation, body["username"], body["role"], current_principal().name,
                                 body["display_name"])
    db.session.commit()
    return jsonify(_member(evaluation, user, password)), 201, NO_STORE


@bp.put(f"{PREFIX}/<username>/role")
@documented("Change a user's role in the evaluation (not your own, not a site admin's)", request=RoleSchema,
            response=UserRoleSchema, example=ROLE_EXAMPLE, response_example=CHANGED_ROLE_ANSWER)
@requires("users")
def set_member_role(evaluation, username):
    body = RoleSchema().load(request.get_json(silent=True) or {})
    principal = current_principal()
    user = members.find_member(evaluation, username)
    members.set_role(evaluation, user, body["role"], principal.name, principal.user)
    db.session.commit()
    return jsonify(_member(evaluation, user))


@bp.delete(f"{PREFIX}/<username>")
@documented("Take a user's role in the evaluation away (they no longer see it)", status=204)
@requires("users")
def remove_member(evaluation, username):
    principal = current_principal()
    members.remove(evaluation, members.find_member(evaluation, username), principal.name, principal.user)
    db.session.commit()
    return "", 204


@bp.post(f"{PREFIX}/<username>/password")
@documented("Reset a user's password: a generated one, in this answer only; their sessions end",
            response=PasswordSchema, response_example=PASSWORD_RESET_ANSWER)
@requires("users")
def reset_member_password(evaluation, username):
    principal = current_principal()
    user = members.find_member(evaluation, username)
    password = members.reset_password(evaluation, user, principal.name, principal.user)
    db.session.commit()
    return jsonify(PasswordSchema().dump({"username": user.username, "password": password})), 200, NO_STORE


@bp.post(f"{PREFIX}/<username>/deactivate")
@documented("Deactivate a user: no more sign-ins anywhere, and their sessions end now",
            response=UserRoleSchema, response_example=DEACTIVATED_MEMBER_ANSWER)
@requires("users")
def deactivate_member(evaluation, username):
    principal = current_principal()
    user = members.find_member(evaluation, username)
    members.deactivate(evaluation, user, principal.name, principal.user)
    db.session.commit()
    return jsonify(_member(evaluation, user))


@bp.post(f"{PREFIX}/<username>/activate")
@documented("Let a deactivated user sign in again", response=UserRoleSchema,
            response_example=ACTIVATED_MEMBER_ANSWER)
@requires("users")
def activate_member(evaluation, username):
    principal = current_principal()
    user = members.find_member(evaluation, username)
    members.activate(evaluation, user, principal.name, principal.user)
    db.session.commit()
    return jsonify(_member(evaluation, user))


@bp.get("/evaluations/<code>/audit")
@documented("The evaluation's audit log, newest first, filtered by actor, action and China days; keyset "
            "pages (next_cursor)", query=AuditQuerySchema, response=AuditPageSchema,
            response_example=AUDIT_ANSWER)
@requires("users")
def audit_entries(evaluation):
    query = AuditQuerySchema().load(request.args)
    rows, cursor = audit_log.entries(evaluation, query.get("actor"), query.get("action"), query.get("since"),
                                     query.get("until"), query.get("after"), query["limit"])
    return jsonify(AuditPageSchema().dump({"items": [audit_log.as_dict(r) for r in rows],
                                           "next_cursor": cursor}))

"""Enumerators: list, create, update (active, locality), their Collect settings QR and print sheet, token
rotation, Digest password, their assignments and quality.

The QR code, the sheet and the server URL carry the enumerator's token, so only the `enumerators` action
may read them.
"""
from flask import Response, jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server.accounts import device_sheet, users
from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.infra import rate_limits
from server.api.openapi import documented
from server.api.route_examples import (CHANGED_ENUMERATOR_ANSWER, DIGEST_PASSWORD_EXAMPLE,
                                       ENUMERATORS_ANSWER, ENUMERATOR_ANSWER, ENUMERATOR_ASSIGNMENTS_ANSWER,
                                       ENUMERATOR_CREATE_EXAMPLE, ENUMERATOR_UPDATE_EXAMPLE,
                                       NEW_ENUMERATOR_ANSWER, QR_ANSWER, ROTATED_TOKEN_ANSWER, TEAMS_ANSWER)
from server.backchecks.enumerators import enumerator_rows
from server.households.assignments import of_enumerator
from server.infra.extensions import db
from server.models import Enumerator
from server.accounts import provisioning
from server.questionnaires.audience import known_teams

_PLACE = ("province", "county", "township", "village", "county_code", "township_code", "village_code", "team",
          "phone")


class EnumeratorSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    province = fields.String()
    county = fields.String()
    township = fields.String()
    village = fields.String()
    county_code = fields.String(allow_none=True)
    township_code = fields.String(allow_none=True)
    village_code = fields.String(allow_none=True)
    team = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    active = fields.Boolean()
    has_password = fields.Function(lambda e: bool(e.digest_ha1_encrypted))
    token_created_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class EnumeratorCreateSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,80}$"))
    display_name = fields.String(load_default="", validate=validate.Length(max=200))
    county = fields.String(load_default="", validate=validate.Length(max=100),
                           metadata={"description": "a name, or give county_code (names are looked up)"})
    township = fields.String(load_default="", validate=validate.Length(max=100))
    village = fields.String(load_default="", validate=validate.Length(max=100))
    province = fields.String(validate=validate.Length(max=100))
    county_code = fields.String(validate=validate.Regexp(r"^\d{6}$"))
    township_code = fields.String(validate=validate.Regexp(r"^\d{9}$"))
    village_code = fields.String(validate=validate.Regexp(r"^\d{12}$"))
    team = fields.String(validate=validate.Length(max=80))
    phone = fields.String(validate=validate.Regexp(r"^[0-9+() -]{5,32}$"))


class EnumeratorUpdateSchema(Schema):
    display_name = fields.String(validate=validate.Length(max=200))
    active = fields.Boolean()
    province = fields.String(validate=validate.Length(max=100))
    county = fields.String(validate=validate.Length(max=100))
    township = fields.String(validate=validate.Length(max=100))
    village = fields.String(validate=validate.Length(max=100))
    county_code = fields.String(allow_none=True, validate=validate.Length(max=12))
    township_code = fields.String(allow_none=True, validate=validate.Length(max=12))
    village_code = fields.String(allow_none=True, validate=validate.Length(max=12))
    team = fields.String(allow_none=True, validate=validate.Length(max=80))
    phone = fields.String(allow_none=True, validate=validate.Regexp(r"^[0-9+() -]{5,32}$"))


class QualitySchema(Schema):
    interviews = fields.Integer()
    per_100 = fields.Dict(metadata={"description": "findings per 100 interviews, by rule"})
    median_minutes = fields.Float(allow_none=True)
    backcheck_rate = fields.Float(allow_none=True, metadata={"description": "back-check disagreement"})
    last_sync = fields.DateTime(allow_none=True)


class EnumeratorDetailSchema(Schema):
    enumerator = fields.Nested(EnumeratorSchema)
    quality = fields.Nested(QualitySchema)


class DigestPasswordSchema(Schema):
    password = fields.String(required=True, validate=validate.Length(min=users.MIN_PASSWORD, max=200),
                             metadata={"description": f"at least {users.MIN_PASSWORD} characters"})


class EnumeratorAssignmentSchema(Schema):
    id = fields.Integer()
    archive_id = fields.String(allow_none=True)
    head_name = fields.String(allow_none=True)
    village = fields.String(allow_none=True)
    village_code = fields.String(allow_none=True)
    sample_unit_id = fields.Integer(allow_none=True)
    override = fields.Boolean(metadata={"description": "assigned despite a recusal refusal, by an admin"})
    interviewed = fields.Boolean(allow_none=True)
    created_at = fields.DateTime()


class SheetQuerySchema(Schema):
    username = fields.List(fields.String(), metadata={"description": "repeat; default: every active one"})


class ServerUrlSchema(Schema):
    enumerator = fields.Nested(EnumeratorSchema)
    server_url = fields.String(metadata={"description": "The ODK Collect server URL (a credential)."})


# {team name: active enumerators in it}: a map, so a JSON schema rather than a marshmallow one.
TEAMS = {"type": "object", "additionalProperties": {"type": "integer"},
         "description": "team name → the number of its active enumerators"}


class QrSchema(Schema):
    server_url = fields.String()
    payload = fields.String(metadata={"description": "The QR text: settings JSON, zlib, base64."})


@bp.get("/evaluations/<code>/enumerators")
@documented("List the enumerators of an evaluation", response=EnumeratorSchema(many=True),
            response_example=ENUMERATORS_ANSWER)
@requires("read")
def list_enumerators(evaluation):
    rows = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation.id)
                              .order_by(Enumerator.username)).scalars()
    return jsonify(EnumeratorSchema(many=True).dump(rows))


@bp.post("/evaluations/<code>/enumerators")
@documented("Create an enumerator (with a Collect token)", request=EnumeratorCreateSchema,
            response=ServerUrlSchema, status=201,
            example=ENUMERATOR_CREATE_EXAMPLE, response_example=NEW_ENUMERATOR_ANSWER)
@requires("enumerators")
def create_enumerator(evaluation):
    data = EnumeratorCreateSchema().load(request.get_json(force=True, silent=True) or {})
    place = {k: data[k] for k in _PLACE if k in data and k not in ("county", "township", "village")}
    enumerator, token = users.create_enumerator(
        evaluation, data["username"], county=data["county"], township=data["township"],
        village=data["village"], display_name=data["display_name"], actor=current_principal().name, **place)
    db.session.commit()
    body = {"enumerator": enumerator, "server_url": provisioning.server_url(evaluation, token)}
    return jsonify(ServerUrlSchema().dump(body)), 201


@bp.patch("/evaluations/<code>/enumerators/<username>")
@documented("Change an enumerator (active flag, locality, display name, team, phone)",
            request=EnumeratorUpdateSchema, response=EnumeratorSchema,
            example=ENUMERATOR_UPDATE_EXAMPLE, response_example=CHANGED_ENUMERATOR_ANSWER)
@requires("enumerators")
def update_enumerator(evaluation, username):
    changes = EnumeratorUpdateSchema().load(request.get_json(force=True, silent=True) or {})
    enumerator = provisioning.find_enumerator(evaluation, username)
    provisioning.update_enumerator(enumerator, changes, actor=current_principal().name)
    db.session.commit()
    return jsonify(EnumeratorSchema().dump(enumerator))


@bp.get("/evaluations/<code>/enumerators/<username>/qr")
@documented("The Collect settings QR payload of an enumerator", response=QrSchema,
            response_example=QR_ANSWER)
@requires("enumerators")
def enumerator_qr_payload(evaluation, username):
    settings = provisioning.device_settings(evaluation, provisioning.find_enumerator(evaluation, username))
    return _no_store(jsonify(QrSchema().dump(settings)))


@bp.get("/evaluations/<code>/enumerators/<username>/qr.png")
@documented("The Collect settings QR code of an enumerator (image/png)", content_type="image/png")
@requires("enumerators")
def enumerator_qr_png(evaluation, username):
    settings = provisioning.device_settings(evaluation, provisioning.find_enumerator(evaluation, username))
    return _no_store(Response(settings.png, mimetype="image/png"))


@bp.post("/evaluations/<code>/enumerators/<username>/token")
@documented("Rotate an enumerator's token: the old URL and QR code stop working", response=ServerUrlSchema,
            response_example=ROTATED_TOKEN_ANSWER)
@requires("enumerators")
@rate_limits.both("TOKENS", lambda: current_principal().name)
def rotate_enumerator_token(evaluation, username):
    enumerator = provisioning.find_enumerator(evaluation, username)
    url = provisioning.rotate(evaluation, enumerator, actor=current_principal().name)
    db.session.commit()
    return jsonify(ServerUrlSchema().dump({"enumerator": enumerator, "server_url": url}))


@bp.get("/evaluations/<code>/enumerators/<username>")
@documented("One enumerator with their quality (interviews, findings per 100, median minutes, back-checks)",
            response=EnumeratorDetailSchema, response_example=ENUMERATOR_ANSWER)
@requires("read")
def get_enumerator(evaluation, username):
    enumerator = provisioning.find_enumerator(evaluation, username)
    quality = enumerator_rows(evaluation, only=enumerator)[0]
    return jsonify(EnumeratorDetailSchema().dump({"enumerator": enumerator, "quality": quality}))


@bp.put("/evaluations/<code>/enumerators/<username>/password")
@documented("Set an enumerator's Digest password (for the server URL without a token)", status=204,
            request=DigestPasswordSchema, example=DIGEST_PASSWORD_EXAMPLE)
@requires("enumerators")
def set_enumerator_password(evaluation, username):
    data = DigestPasswordSchema().load(request.get_json(force=True, silent=True) or {})
    provisioning.set_password(provisioning.find_enumerator(evaluation, username), data["password"],
                              current_principal().name)
    db.session.commit()
    return "", 204


@bp.get("/evaluations/<code>/enumerators/<username>/assignments")
@documented("An enumerator's live assignments, newest first", response=EnumeratorAssignmentSchema(many=True),
            response_example=ENUMERATOR_ASSIGNMENTS_ANSWER)
@requires("read")
def enumerator_assignments(evaluation, username):
    rows = of_enumerator(provisioning.find_enumerator(evaluation, username))
    return jsonify(EnumeratorAssignmentSchema(many=True).dump(rows))


@bp.get("/evaluations/<code>/enumerator-sheet")
@documented("The printable A4 sheet (HTML) of Collect settings QR codes", query=SheetQuerySchema,
            content_type="text/html")
@requires("enumerators")
def enumerator_sheet(evaluation):
    asked = {"username": request.args.getlist("username")} if "username" in request.args else {}
    names = SheetQuerySchema().load(asked).get("username")
    html, _, _ = device_sheet.render_sheet(evaluation, device_sheet.chosen(evaluation, names))
    return _no_store(Response(html, mimetype="text/html"))


@bp.get("/evaluations/<code>/teams")
@documented("The enumerators' teams, with the number of active enumerators in each", response=TEAMS,
            response_example=TEAMS_ANSWER)
@requires("read")
def list_teams(evaluation):
    return jsonify(known_teams(evaluation))


def _no_store(response):
    # The QR holds a credential: no browser or proxy cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response

"""Enumerators: list, create, update (active, locality), their Collect settings QR, token rotation.

The QR code and the server URL carry the enumerator's token, so only `manage` may read them.
"""
from flask import Response, jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server import accounts
from server.api import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.extensions import db
from server.models import Enumerator
from server.openrosa import provisioning

_PLACE = ("province", "county", "township", "village", "county_code", "township_code", "village_code", "team")


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
    active = fields.Boolean()
    has_password = fields.Function(lambda e: bool(e.digest_ha1))
    token_created_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class EnumeratorCreateSchema(Schema):
    username = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9_.-]{1,80}$"))
    display_name = fields.String(load_default="", validate=validate.Length(max=200))
    county = fields.String(required=True, validate=validate.Length(1, 100))
    township = fields.String(required=True, validate=validate.Length(1, 100))
    village = fields.String(required=True, validate=validate.Length(1, 100))
    province = fields.String(validate=validate.Length(max=100))
    county_code = fields.String(validate=validate.Length(max=12))
    township_code = fields.String(validate=validate.Length(max=12))
    village_code = fields.String(validate=validate.Length(max=12))
    team = fields.String(validate=validate.Length(max=80))


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


class ServerUrlSchema(Schema):
    enumerator = fields.Nested(EnumeratorSchema)
    server_url = fields.String(metadata={"description": "The ODK Collect server URL (a credential)."})


class QrSchema(Schema):
    server_url = fields.String()
    payload = fields.String(metadata={"description": "The QR text: settings JSON, zlib, base64."})


@bp.get("/evaluations/<code>/enumerators")
@documented("List the enumerators of an evaluation", response=EnumeratorSchema(many=True))
@requires("read")
def list_enumerators(evaluation):
    rows = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation.id)
                              .order_by(Enumerator.username)).scalars()
    return jsonify(EnumeratorSchema(many=True).dump(rows))


@bp.post("/evaluations/<code>/enumerators")
@documented("Create an enumerator (with a Collect token)", request=EnumeratorCreateSchema,
            response=ServerUrlSchema, status=201)
@requires("manage")
def create_enumerator(evaluation):
    data = EnumeratorCreateSchema().load(request.get_json(force=True, silent=True) or {})
    place = {k: data[k] for k in _PLACE if k in data and k not in ("county", "township", "village")}
    enumerator, token = accounts.create_enumerator(
        evaluation, data["username"], county=data["county"], township=data["township"],
        village=data["village"], display_name=data["display_name"], actor=current_principal().name, **place)
    db.session.commit()
    body = {"enumerator": enumerator, "server_url": provisioning.server_url(evaluation, token)}
    return jsonify(ServerUrlSchema().dump(body)), 201


@bp.patch("/evaluations/<code>/enumerators/<username>")
@documented("Change an enumerator (active flag, locality, display name)", request=EnumeratorUpdateSchema,
            response=EnumeratorSchema)
@requires("manage")
def update_enumerator(evaluation, username):
    changes = EnumeratorUpdateSchema().load(request.get_json(force=True, silent=True) or {})
    enumerator = provisioning.find_enumerator(evaluation, username)
    provisioning.update_enumerator(enumerator, changes, actor=current_principal().name)
    db.session.commit()
    return jsonify(EnumeratorSchema().dump(enumerator))


@bp.get("/evaluations/<code>/enumerators/<username>/qr")
@documented("The Collect settings QR payload of an enumerator", response=QrSchema)
@requires("manage")
def enumerator_qr_payload(evaluation, username):
    settings = provisioning.device_settings(evaluation, provisioning.find_enumerator(evaluation, username))
    return _no_store(jsonify(QrSchema().dump(settings)))


@bp.get("/evaluations/<code>/enumerators/<username>/qr.png")
@documented("The Collect settings QR code of an enumerator (image/png)")
@requires("manage")
def enumerator_qr_png(evaluation, username):
    settings = provisioning.device_settings(evaluation, provisioning.find_enumerator(evaluation, username))
    return _no_store(Response(settings.png, mimetype="image/png"))


@bp.post("/evaluations/<code>/enumerators/<username>/token")
@documented("Rotate an enumerator's token: the old URL and QR code stop working", response=ServerUrlSchema)
@requires("manage")
def rotate_enumerator_token(evaluation, username):
    enumerator = provisioning.find_enumerator(evaluation, username)
    url = provisioning.rotate(evaluation, enumerator, actor=current_principal().name)
    db.session.commit()
    return jsonify(ServerUrlSchema().dump({"enumerator": enumerator, "server_url": url}))


def _no_store(response):
    # The QR holds a credential: no browser or proxy cache may keep it.
    response.headers["Cache-Control"] = "no-store"
    return response

"""Forms, continued: a version's files (its XLSForm and its XForm), the form's contract with the rules in the
caller's language, and who gets the form (every enumerator, or chosen teams)."""
from flask import jsonify, request
from marshmallow import Schema, fields

from server.api.auth import current_principal, requires
from server.api.blueprint import bp
from server.api.forms import FormSchema, request_lang, version_of
from server.api.openapi import documented
from server.api.route_examples import AUDIENCE_ANSWER, AUDIENCE_EXAMPLE, CONTRACT_ANSWER
from server.infra.extensions import db
from server.infra.file_responses import send_bytes, send_stored
from server.questionnaires import audience, form_report, forms_service


class CheckSchema(Schema):
    code = fields.String()
    kind = fields.String(metadata={"description": "rules (recusal and quality), reconciliation or figures"})
    title = fields.String()
    supported = fields.Boolean()
    needs = fields.List(fields.String(), metadata={"description": "the contract keys the check reads"})
    missing = fields.List(fields.String())
    reasons = fields.List(fields.String(),
                          metadata={"description": "one line per missing key, naming the field"})


class ContractSchema(Schema):
    form_id = fields.String()
    version_id = fields.Integer()
    version = fields.String()
    fields_ = fields.Dict(data_key="fields",
                          metadata={"description": "contract key → field path (null: absent)"})
    checks = fields.List(fields.Nested(CheckSchema))


class ContractQuerySchema(Schema):
    version_id = fields.Integer(
        metadata={"description": "a version (default: the current one, else the newest)"})


class AudienceSchema(Schema):
    teams = fields.List(fields.String(), allow_none=True, required=True,
                        metadata={"description": "team names (Enumerator.team); null or []: everyone"})


class AudienceAnswerSchema(FormSchema):
    receivers = fields.Integer(metadata={"description": "active enumerators who get the form"})


@bp.get("/evaluations/<code>/forms/<form_id>/versions/<int:version_id>/xlsform")
@documented("Download the XLSForm a version was made from (as uploaded)",
            content_type="application/octet-stream")
@requires("read")
def download_xlsform(evaluation, form_id, version_id):
    path, name, sha256 = form_report.source_file(version_of(evaluation, form_id, version_id))
    return send_stored(path, "application/octet-stream", name, sha256)


@bp.get("/evaluations/<code>/forms/<form_id>/versions/<int:version_id>/xform")
@documented("Download a version's XForm: the XML the phones get", content_type="application/xml")
@requires("read")
def download_xform(evaluation, form_id, version_id):
    version = version_of(evaluation, form_id, version_id)
    return send_bytes(version.xml.encode("utf-8"), "application/xml", form_report.xform_name(version))


@bp.get("/evaluations/<code>/forms/<form_id>/contract")
@documented("Which recusal, quality and reconciliation checks a form version supports, and the fields "
            "each needs (reasons in the request's language)", query=ContractQuerySchema,
            response=ContractSchema, response_example=CONTRACT_ANSWER)
@requires("read")
def get_contract(evaluation, form_id):
    form = forms_service.get_form(evaluation, form_id)
    version_id = ContractQuerySchema().load(request.args).get("version_id")
    version = form_report.find_version(form, version_id) if version_id else form_report.latest_version(form)
    if version is None:
        return jsonify({"form_id": form_id, "version_id": None, "version": None, "fields": {}, "checks": []})
    report = form_report.contract_report(version, request_lang())
    body = {"form_id": form_id, "version_id": version.id, "version": version.version,
            "fields_": report["fields"], "checks": report["checks"]}
    return jsonify(ContractSchema().dump(body))


@bp.put("/evaluations/<code>/forms/<form_id>/audience")
@documented("Choose who gets a form: every enumerator (teams null) or the teams named; honoured by the "
            "formList, the form download, its manifest and media, and submissions", request=AudienceSchema,
            response=AudienceAnswerSchema, example=AUDIENCE_EXAMPLE, response_example=AUDIENCE_ANSWER)
@requires("forms")
def set_audience(evaluation, form_id):
    data = AudienceSchema().load(request.get_json(force=True, silent=True) or {})
    form = forms_service.get_form(evaluation, form_id)
    audience.set_audience(form, data["teams"], current_principal().name)
    db.session.commit()
    body = FormSchema().dump(form)
    return jsonify({**body, "receivers": audience.receivers(evaluation, form)})

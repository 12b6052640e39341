"""Forms: upload an XLSForm (converted by a worker), publish, media, open/closing/closed, job status."""
import json

from flask import jsonify, request, url_for
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from forms.safety import Limits
from server.questionnaires import conversion, form_report, forms_service, submission_url
from server.pipeline import job_records
from server.api.blueprint import bp
from server.api.polling import retry_after
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.api.route_examples import (CLOSING_FORM_ANSWER, FORM, FORMS_ANSWER, FORM_JOB, FORM_STATE_EXAMPLE,
                                       FORM_UPLOAD_ANSWER, VERSION)
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import FORM_STATES, Form

MAX_XLSFORM_BYTES = Limits().max_bytes


class JobSchema(Schema):
    id = fields.String()
    kind = fields.String()
    state = fields.String(metadata={"description": "queued, running, done or failed"})
    progress = fields.Integer(metadata={"description": "percent"})
    done = fields.Integer(allow_none=True, metadata={"description": "items done, when the job counts them"})
    total = fields.Integer(allow_none=True, metadata={"description": "items in all, when known"})
    message = fields.String(metadata={"description": "the phase the job is in, or its outcome"})
    result = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class UploadAnswerSchema(Schema):
    job = fields.Nested(JobSchema)
    status_url = fields.String()


class MediaSchema(Schema):
    filename = fields.String()
    md5 = fields.String()
    size = fields.Integer()
    content_type = fields.String()


class VersionSchema(Schema):
    id = fields.Integer()
    version = fields.String()
    title = fields.String()
    md5 = fields.String()
    published_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    languages = fields.List(fields.String())
    media_names = fields.List(fields.String())
    media = fields.List(fields.Nested(MediaSchema))
    missing_media = fields.Function(forms_service.missing_media, dump_only=True)
    media_status = fields.Function(
        lambda v: forms_service.media_status(v, request_lang()), dump_only=True,
        metadata={"description": "expected files (name, kind, use, present|generated|missing), "
                                 "missing, unreferenced, warnings"})
    warnings = fields.List(fields.String())
    warning_details = fields.Function(
        lambda v: form_report.warnings_in(v, request_lang()), dump_only=True,
        metadata={"description": "the warnings located: {code, sheet, row, column, message} in the "
                                 "request's language"})
    state = fields.Function(form_report.version_state, dump_only=True,
                            metadata={"description": "draft, current (what phones get while the form is "
                                                     "open), published (earlier) or closed"})
    contract = fields.Dict(metadata={"description": "which checks this version supports, and why not"})
    encrypted = fields.Function(lambda v: bool(v.public_key))


_BRIEF = ("id", "version", "md5", "published_at", "state")


class FormSchema(Schema):
    xml_form_id = fields.String(data_key="form_id")
    title = fields.String()
    state = fields.String()
    field_map = fields.Dict()
    audience = fields.List(fields.String(), allow_none=True,
                           metadata={"description": "teams that get the form; null: every enumerator"})
    current_version = fields.Nested(VersionSchema, allow_none=True)
    versions = fields.Function(lambda f: [VersionSchema(only=_BRIEF).dump(v) for v in f.versions])


class FormStateSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf(FORM_STATES))


@bp.post("/evaluations/<code>/forms")
@documented("Upload an XLSForm (multipart: file, media (repeat), publish=yes|no, field_map=JSON); "
            "converted by a worker", response=UploadAnswerSchema, status=202,
            response_example=FORM_UPLOAD_ANSWER, description=(
                "A file that is not a spreadsheet, too large or a zip bomb is refused at once (422/413, "
                "codes form.not_xlsform, form.too_large, form.zip_bomb) and nothing is stored. Otherwise "
                "the answer is a job: poll status_url; a failed conversion's result has the located "
                "errors {code, sheet, row, column, message, text: {zh, en}}."))
@requires("forms")
def upload_form(evaluation):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Problem("form.missing_file", msg("Send the XLSForm as the multipart field 'file'."), 400)
    source = upload.read(MAX_XLSFORM_BYTES + 1)
    media = [(part.filename, part.read(), part.mimetype) for part in request.files.getlist("media")
             if part.filename]
    publish = request.form.get("publish", "no") in ("yes", "true", "1")
    job = conversion.start(evaluation, source, upload.filename, current_principal().name, media, publish,
                           _field_map(), _lang(evaluation), hosts=submission_url.request_hosts())
    db.session.commit()
    status_url = url_for("api.get_job", code=evaluation.code, job_id=job.id)
    answer = {"job": JobSchema().dump(job_records.live_view(job)), "status_url": status_url}
    return jsonify(answer), 202, {"Location": status_url}


@bp.get("/evaluations/<code>/jobs/<job_id>")
@documented("Progress and result of a long job", response=JobSchema, response_example=FORM_JOB)
@requires("read")
def get_job(evaluation, job_id):
    view = job_records.live_view(job_records.get_job(evaluation, job_id))
    return jsonify(JobSchema().dump(view)), 200, retry_after(view["state"])


@bp.get("/evaluations/<code>/forms")
@documented("The evaluation's forms", response=FormSchema(many=True), response_example=FORMS_ANSWER)
@requires("read")
def list_forms(evaluation):
    rows = db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id)
                              .order_by(Form.xml_form_id)).scalars()
    return jsonify(FormSchema(many=True).dump(rows))


@bp.get("/evaluations/<code>/forms/<form_id>")
@documented("One form with its versions", response=FormSchema, response_example=FORM)
@requires("read")
def get_form(evaluation, form_id):
    return jsonify(FormSchema().dump(forms_service.get_form(evaluation, form_id)))


@bp.get("/evaluations/<code>/forms/<form_id>/versions/<int:version_id>")
@documented("One version: contract report, warnings, media", response=VersionSchema,
            response_example=VERSION)
@requires("read")
def get_version(evaluation, form_id, version_id):
    return jsonify(VersionSchema().dump(version_of(evaluation, form_id, version_id)))


@bp.post("/evaluations/<code>/forms/<form_id>/versions/<int:version_id>/publish")
@documented("Publish a draft version", response=VersionSchema, response_example=VERSION)
@requires("forms")
def publish_version(evaluation, form_id, version_id):
    version = forms_service.publish_version(version_of(evaluation, form_id, version_id),
                                            current_principal().name, _lang(evaluation))
    db.session.commit()
    return jsonify(VersionSchema().dump(version))


@bp.post("/evaluations/<code>/forms/<form_id>/versions/<int:version_id>/media")
@documented("Upload media files the version references (multipart, one part per file)",
            response=VersionSchema, response_example=VERSION)
@requires("forms")
def upload_media(evaluation, form_id, version_id):
    version = version_of(evaluation, form_id, version_id)
    if not request.files:
        raise Problem("form.missing_file", msg("Send each media file as a multipart file part."), 400)
    for upload in request.files.listvalues():
        for part in upload:
            forms_service.add_media(version, part.filename, part.read(), current_principal().name,
                                    part.mimetype)
    db.session.commit()
    return jsonify(VersionSchema().dump(version))


@bp.patch("/evaluations/<code>/forms/<form_id>")
@documented("Set the state: open (listed), closing (not listed, still accepting), closed",
            request=FormStateSchema, response=FormSchema, example=FORM_STATE_EXAMPLE,
            response_example=CLOSING_FORM_ANSWER)
@requires("forms")
def set_state(evaluation, form_id):
    data = FormStateSchema().load(request.get_json(force=True, silent=True) or {})
    form = forms_service.set_form_state(forms_service.get_form(evaluation, form_id), data["state"],
                                        current_principal().name)
    db.session.commit()
    return jsonify(FormSchema().dump(form))


def version_of(evaluation, form_id, version_id):
    return form_report.find_version(forms_service.get_form(evaluation, form_id), version_id)


def _field_map():
    raw = request.form.get("field_map")
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Problem("form.field_map_invalid", msg("field_map is a JSON object of key → field name."), 422)
    return value


def _lang(evaluation):
    return request.accept_languages.best_match(["zh", "en"]) or _language_code(evaluation.default_language)


def request_lang():
    """zh or en from Accept-Language (zh-Hans, zh-CN, en-US all count); zh when there is none."""
    return request.accept_languages.best_match(["zh", "en"]) or "zh"


def _language_code(value):
    return "en" if str(value or "").lower().startswith("en") else "zh"

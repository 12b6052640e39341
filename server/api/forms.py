"""Forms: upload an XLSForm (converted by a worker), publish, media, open/closing/closed, job status."""
import json

from flask import jsonify, request, url_for
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from forms.safety import Limits
from server import forms_service, job_records, stored_files
from server.api import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.errors import Problem
from server.extensions import db
from server.models import FORM_STATES, Form, FormVersion
from server.openrosa.filenames import safe_filename

MAX_XLSFORM_BYTES = Limits().max_bytes


class JobSchema(Schema):
    id = fields.String()
    kind = fields.String()
    state = fields.String(metadata={"description": "queued, running, done or failed"})
    progress = fields.Integer(metadata={"description": "percent"})
    message = fields.String()
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
    warnings = fields.List(fields.String())
    contract = fields.Dict(metadata={"description": "which checks this version supports, and why not"})
    encrypted = fields.Function(lambda v: bool(v.public_key))


class FormSchema(Schema):
    xml_form_id = fields.String(data_key="form_id")
    title = fields.String()
    state = fields.String()
    field_map = fields.Dict()
    current_version = fields.Nested(VersionSchema, allow_none=True)
    versions = fields.Function(lambda f: [VersionSchema(only=("id", "version", "md5", "published_at"))
                                          .dump(v) for v in f.versions])


class FormStateSchema(Schema):
    state = fields.String(required=True, validate=validate.OneOf(FORM_STATES))


@bp.post("/evaluations/<code>/forms")
@documented("Upload an XLSForm (multipart: file, publish=yes|no, field_map=JSON); converted by a worker",
            response=UploadAnswerSchema, status=202)
@requires("import")
def upload_form(evaluation):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Problem("form.missing_file", "Send the XLSForm as the multipart field 'file'.", 400)
    source = upload.read(MAX_XLSFORM_BYTES + 1)
    if len(source) > MAX_XLSFORM_BYTES:
        raise Problem("form.too_large", f"An XLSForm may be at most {MAX_XLSFORM_BYTES // 2**20} MB.", 413)
    publish = request.form.get("publish", "no") in ("yes", "true", "1")
    params = {"filename": upload.filename, "publish": publish,
              "field_map": _field_map(), "lang": _lang(evaluation), "actor": current_principal().name}
    job = job_records.start_job(evaluation.id, "form.convert", params, "form.convert")
    params["source_path"] = f"uploads/{job.id}/{safe_filename(upload.filename)}"
    stored_files.store_bytes(params["source_path"], source)
    job.params = params
    db.session.commit()
    status_url = url_for("api.get_job", code=evaluation.code, job_id=job.id)
    return jsonify({"job": JobSchema().dump(job), "status_url": status_url}), 202, {"Location": status_url}


@bp.get("/evaluations/<code>/jobs/<job_id>")
@documented("Progress and result of a long job", response=JobSchema)
@requires("read")
def get_job(evaluation, job_id):
    return jsonify(JobSchema().dump(job_records.live_view(job_records.get_job(evaluation, job_id))))


@bp.get("/evaluations/<code>/forms")
@documented("The evaluation's forms", response=FormSchema(many=True))
@requires("read")
def list_forms(evaluation):
    rows = db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id)
                              .order_by(Form.xml_form_id)).scalars()
    return jsonify(FormSchema(many=True).dump(rows))


@bp.get("/evaluations/<code>/forms/<form_id>")
@documented("One form with its versions", response=FormSchema)
@requires("read")
def get_form(evaluation, form_id):
    return jsonify(FormSchema().dump(forms_service.get_form(evaluation, form_id)))


@bp.get("/evaluations/<code>/forms/<form_id>/versions/<int:version_id>")
@documented("One version: contract report, warnings, media", response=VersionSchema)
@requires("read")
def get_version(evaluation, form_id, version_id):
    return jsonify(VersionSchema().dump(_version(evaluation, form_id, version_id)))


@bp.post("/evaluations/<code>/forms/<form_id>/versions/<int:version_id>/publish")
@documented("Publish a draft version", response=VersionSchema)
@requires("import")
def publish_version(evaluation, form_id, version_id):
    version = forms_service.publish_version(_version(evaluation, form_id, version_id),
                                            current_principal().name)
    db.session.commit()
    return jsonify(VersionSchema().dump(version))


@bp.post("/evaluations/<code>/forms/<form_id>/versions/<int:version_id>/media")
@documented("Upload media files the version references (multipart, one part per file)",
            response=VersionSchema)
@requires("import")
def upload_media(evaluation, form_id, version_id):
    version = _version(evaluation, form_id, version_id)
    if not request.files:
        raise Problem("form.missing_file", "Send each media file as a multipart file part.", 400)
    for upload in request.files.values():
        forms_service.add_media(version, upload.filename, upload.read(), current_principal().name,
                                upload.mimetype)
    db.session.commit()
    return jsonify(VersionSchema().dump(version))


@bp.patch("/evaluations/<code>/forms/<form_id>")
@documented("Set the state: open (listed), closing (not listed, still accepting), closed",
            request=FormStateSchema, response=FormSchema)
@requires("import")
def set_state(evaluation, form_id):
    data = FormStateSchema().load(request.get_json(force=True, silent=True) or {})
    form = forms_service.set_form_state(forms_service.get_form(evaluation, form_id), data["state"],
                                        current_principal().name)
    db.session.commit()
    return jsonify(FormSchema().dump(form))


def _version(evaluation, form_id, version_id):
    form = forms_service.get_form(evaluation, form_id)
    version = db.session.get(FormVersion, version_id)
    if version is None or version.form_id != form.id:
        raise Problem("form.version_not_found", f"version {version_id} of {form_id!r} does not exist", 404)
    return version


def _field_map():
    raw = request.form.get("field_map")
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
        raise Problem("form.field_map_invalid", "field_map must be a JSON object of key → field name.", 422)
    return value


def _lang(evaluation):
    return request.accept_languages.best_match(["zh", "en"]) or evaluation.default_language

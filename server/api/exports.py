"""Exports through the API: start one (a job on the `exports` queue), follow it, download the file."""
from flask import jsonify, request, send_file, url_for
from marshmallow import Schema, fields, validate

from server.api.auth import current_principal, requires
from server.api.blueprint import bp
from server.api.polling import retry_after
from server.api.forms import JobSchema
from server.api.openapi import XLSX, documented
from server.api.route_examples import (EXPORT_DONE_ANSWER, EXPORT_EXAMPLE, EXPORT_STARTED_ANSWER,
                                       HOUSEHOLD_FILES_STARTED_ANSWER)
from server.exports import household_files, jobs, request as export_request, service
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db


class ExportFiltersSchema(Schema):
    status = fields.List(fields.String(validate=validate.OneOf(export_request.FILTER_STATUSES)),
                         metadata={"description": "review statuses to include (default: all)"})
    rule = fields.String(metadata={"description": "a rule code found in the current run"})
    enumerator = fields.String(metadata={"description": "enumerator username"})
    village = fields.String(metadata={"description": "village code of the scanned household"})
    date_from = fields.Date(metadata={"description": "interview day (China), inclusive"})
    date_to = fields.Date(metadata={"description": "interview day (China), inclusive"})


class ExportRequestSchema(Schema):
    form = fields.String(required=True, metadata={"description": "the form_id; all its versions together"})
    format = fields.String(load_default="csv", validate=validate.OneOf(export_request.FORMATS))
    labels = fields.String(validate=validate.OneOf(export_request.LABEL_LANGUAGES),
                           metadata={"description": "language of the XLSX label row and value labels"})
    tables = fields.String(validate=validate.OneOf(export_request.TABLE_FORMATS),
                           metadata={"description": "inside a ZIP: csv (default) or xlsx"})
    bom = fields.Boolean(metadata={"description": "CSV starts with a UTF-8 BOM (Excel on Windows)"})
    filters = fields.Nested(ExportFiltersSchema)
    private_key = fields.String(metadata={"description": "PEM private key for encrypted forms; used for "
                                                         "this export only, never stored"})
    passphrase = fields.String(metadata={"description": "the private key's passphrase"})


class ExportJobSchema(JobSchema):
    download_url = fields.String(allow_none=True, metadata={"description": "set when the job is done"})


class ExportStartedSchema(Schema):
    job = fields.Nested(ExportJobSchema)
    status_url = fields.String()


@bp.post("/evaluations/<code>/exports")
@documented("Start an export of one form's interviews (CSV, XLSX, ZIP with media, SPSS, Stata)",
            request=ExportRequestSchema, response=ExportStartedSchema, status=202,
            example=EXPORT_EXAMPLE, response_example=EXPORT_STARTED_ANSWER)
@requires("export")
def start_export(evaluation):
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Problem("export.bad_request", msg("Send the export as a JSON object."), 400)
    form, params = export_request.checked(evaluation, body)
    job = service.start(evaluation, form, params, current_principal().name,
                        private_key=body.get("private_key"), passphrase=body.get("passphrase"))
    db.session.commit()
    status_url = url_for("api.get_export", code=evaluation.code, job_id=job.id)
    answer = {"job": _view(evaluation, job), "status_url": status_url}
    return jsonify(ExportStartedSchema().dump(answer)), 202, {"Location": status_url}


@bp.get("/evaluations/<code>/exports/<job_id>")
@documented("An export's progress; when done, its result (rows, statuses it contains) and download URL",
            response=ExportJobSchema, response_example=EXPORT_DONE_ANSWER)
@requires("export")
def get_export(evaluation, job_id):
    view = _view(evaluation, jobs.export_job(evaluation, job_id))
    return jsonify(ExportJobSchema().dump(view)), 200, retry_after(view["state"])


@bp.get("/evaluations/<code>/exports/<job_id>/file")
@documented("Download a finished export (kept for EXPORT_KEEP_HOURS)",
            content_type=("text/csv", XLSX, "application/zip", "application/octet-stream"))
@requires("export")
def download_export(evaluation, job_id):
    path, name = jobs.finished_file(jobs.export_job(evaluation, job_id))
    return send_file(path, as_attachment=True, download_name=name, conditional=True)


@bp.post("/evaluations/<code>/villages/<village_code>/household-files")
@documented("Every household file (一户一档) of a village in one ZIP, as an export job: follow status_url, "
            "then download; inside, <village code>/<archive id>.zip, each verified by `fieldcheck chain "
            "check-file`", response=ExportStartedSchema, status=202,
            response_example=HOUSEHOLD_FILES_STARTED_ANSWER)
@requires("export")
def start_household_files(evaluation, village_code):
    job = household_files.start(evaluation, village_code, current_principal().name)
    db.session.commit()
    status_url = url_for("api.get_export", code=evaluation.code, job_id=job.id)
    answer = {"job": _view(evaluation, job), "status_url": status_url}
    return jsonify(ExportStartedSchema().dump(answer)), 202, {"Location": status_url}


def _view(evaluation, job):
    view = jobs.view(job)
    view["download_url"] = None
    if view["ready"]:
        view["download_url"] = url_for("api.download_export", code=evaluation.code, job_id=job.id)
    return view

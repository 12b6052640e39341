"""The forms: upload an XLSForm with its media (converted in the background, with progress), read its
errors and warnings where they are (sheet, row, column), its versions, media and contract with the rules,
publish, close and reopen, choose who gets it, download its XLSForm and XForm."""
import re

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from server.dashboard.access import actor, in_evaluation
from server.dashboard.blueprint import bp
from server.dashboard.errors import problem_message
from server.dashboard.i18n import language
from server.dashboard import once
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.infra.file_responses import send_bytes, send_stored
from server.models import Form
from server.pipeline import job_records
from server.questionnaires import audience, conversion, form_report, forms_service, submission_url

STATES = ("open", "closing", "closed")


@bp.get("/dashboard/<code>/forms")
@in_evaluation("read")
def forms_page(evaluation):
    return _forms(evaluation)


def _forms(evaluation, errors=None, status=200):
    forms = db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id)
                               .order_by(Form.xml_form_id)).scalars().all()
    return render_template("dashboard/forms.html", evaluation=evaluation, forms=forms, errors=errors or {},
                           phones_get=form_report.phones_get, missing=forms_service.missing_media), status


@bp.post("/dashboard/<code>/forms")
@in_evaluation("forms")
@once.guarded
def upload_post(evaluation):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _forms(evaluation, {"file": _("Choose the XLSForm file.")}, 422)
    source = upload.read(conversion.LIMITS.max_bytes + 1)
    media = [(part.filename, part.read(), part.mimetype) for part in request.files.getlist("media")
             if part.filename]
    try:
        job = conversion.start(evaluation, source, upload.filename, actor(), media,
                               publish=request.form.get("publish") == "yes", lang=language(),
                               hosts=submission_url.request_hosts())
    except Problem as problem:
        db.session.rollback()
        field = "media" if problem.code.startswith(("form.media", "form.too_many")) else "file"
        return _forms(evaluation, {field: _upload_message(problem)}, problem.status)
    db.session.commit()
    return redirect(url_for("dashboard.form_job_page", code=evaluation.code, job_id=job.id), 303)


def _upload_message(problem):
    known = {
        "form.not_xlsform": lambda: _("This file is not a spreadsheet fieldcheck can read as an XLSForm "
                                      "(.xlsx, .xls, .csv or .md)."),
        "form.zip_bomb": lambda: _("This file would unpack to an unsafe size or is built abnormally "
                                   "(a zip bomb?); it was refused and nothing was kept."),
        "form.too_large": lambda: _("The file is larger than %(mb)s MB.",
                                    mb=conversion.LIMITS.max_bytes // 2**20),
        "form.too_many_media": lambda: _("At most %(n)s media files at once.",
                                         n=conversion.MAX_MEDIA_FILES),
        "form.media_too_large": lambda: _("A media file is larger than %(mb)s MB.",
                                          mb=conversion.MAX_MEDIA_BYTES // 2**20),
    }
    return known[problem.code]() if problem.code in known else problem.message


@bp.get("/dashboard/<code>/form-jobs/<job_id>")
@in_evaluation("read")
def form_job_page(evaluation, job_id):
    job = job_records.get_job(evaluation, job_id)
    if job.kind != "form.convert":
        abort(404)
    view = job_records.live_view(job)
    result = view["result"] or {}
    if view["state"] in ("done", "failed") and result.get("version_id"):
        # Converted: its page says what it holds (and why it is not published, if it was to be).
        form_id = result["form_id"]
        flash(view["error"] if view["state"] == "failed" else _("Converted. Read the result, then publish."),
              "error" if view["state"] == "failed" else "info")
        return redirect(url_for("dashboard.version_page", code=evaluation.code, form_id=form_id,
                                version_id=result["version_id"]))
    return render_template("dashboard/form_job.html", evaluation=evaluation, job=view,
                           filename=(job.params or {}).get("filename", ""),
                           details=result.get("details") or [])


@bp.get("/dashboard/<code>/forms/<form_id>")
@in_evaluation("read")
def form_page(evaluation, form_id):
    return _form(evaluation, form_id)


def _form(evaluation, form_id, errors=None, status=200):
    form = forms_service.get_form(evaluation, form_id)
    return render_template("dashboard/form.html", evaluation=evaluation, form=form, errors=errors or {},
                           state_of=form_report.version_state, phones_get=form_report.phones_get(form),
                           teams=audience.known_teams(evaluation),
                           receivers=audience.receivers(evaluation, form),
                           backcheck=audience.is_backcheck_form(evaluation, form),
                           missing=forms_service.missing_media), status


@bp.post("/dashboard/<code>/forms/<form_id>/state")
@in_evaluation("forms")
@once.guarded
def state_post(evaluation, form_id):
    form = forms_service.get_form(evaluation, form_id)
    state = request.form.get("state")
    if state not in STATES:
        abort(400)
    try:
        forms_service.set_form_state(form, state, actor())
    except Problem as problem:
        db.session.rollback()
        flash(problem_message(problem) if problem.code != "form.unpublished"
              else _("Publish a version before opening the form."), "error")
    else:
        db.session.commit()
        flash({"open": _("The form is open: phones get it."),
               "closing": _("The form is no longer listed to phones; it still accepts interviews."),
               "closed": _("The form is closed: it accepts no interviews.")}[state], "info")
    return redirect(url_for("dashboard.form_page", code=evaluation.code, form_id=form_id), 303)


@bp.post("/dashboard/<code>/forms/<form_id>/audience")
@in_evaluation("forms")
@once.guarded
def audience_post(evaluation, form_id):
    form = forms_service.get_form(evaluation, form_id)
    teams = None
    if request.form.get("who") == "teams":
        teams = request.form.getlist("team") + re.split(r"[,，、]", request.form.get("new_team", ""))
        if not any(t.strip() for t in teams):
            return _form(evaluation, form_id, {"teams": _("Choose at least one team.")}, 422)
    try:
        audience.set_audience(form, teams, actor())
    except Problem as problem:
        db.session.rollback()
        return _form(evaluation, form_id, {"teams": problem.message}, 422)
    db.session.commit()
    flash(_("Saved."), "info")
    return redirect(url_for("dashboard.form_page", code=evaluation.code, form_id=form_id), 303)


@bp.get("/dashboard/<code>/forms/<form_id>/versions/<int:version_id>")
@in_evaluation("read")
def version_page(evaluation, form_id, version_id):
    return _version(evaluation, form_id, version_id)


def _version(evaluation, form_id, version_id, errors=None, status=200):
    form = forms_service.get_form(evaluation, form_id)
    version = form_report.find_version(form, version_id)
    lang = language()
    return render_template("dashboard/form_version.html", evaluation=evaluation, form=form, version=version,
                           state=form_report.version_state(version), errors=errors or {},
                           warnings=form_report.warnings_in(version, lang),
                           media=forms_service.media_status(version, lang),
                           contract=form_report.contract_report(version, lang)), status


@bp.post("/dashboard/<code>/forms/<form_id>/versions/<int:version_id>/publish")
@in_evaluation("forms")
@once.guarded
def publish_post(evaluation, form_id, version_id):
    version = form_report.find_version(forms_service.get_form(evaluation, form_id), version_id)
    try:
        published = forms_service.publish_version(version, actor(), language())
    except Problem as problem:
        db.session.rollback()
        return _version(evaluation, form_id, version_id, {"publish": _publish_message(problem)},
                        problem.status)
    db.session.commit()
    flash(_("Published: phones get version %(version)s at their next sync.", version=published.version),
          "info")
    return redirect(url_for("dashboard.form_page", code=evaluation.code, form_id=form_id), 303)


def _publish_message(problem):
    if problem.code == "form.version_exists":
        return _("This version number is already published with other content: change the version in the "
                 "XLSForm's settings sheet and upload it again (ODK Collect would otherwise replace the form "
                 "on phones without a word).")
    return problem_message(problem)  # form.media_missing comes in the page's language, naming the files


@bp.post("/dashboard/<code>/forms/<form_id>/versions/<int:version_id>/media")
@in_evaluation("forms")
@once.guarded
def media_post(evaluation, form_id, version_id):
    version = form_report.find_version(forms_service.get_form(evaluation, form_id), version_id)
    parts = [p for p in request.files.getlist("media") if p.filename]
    if not parts:
        return _version(evaluation, form_id, version_id, {"media": _("Choose the files to upload.")}, 422)
    try:
        for part in parts:
            data = part.read(conversion.MAX_MEDIA_BYTES + 1)
            if len(data) > conversion.MAX_MEDIA_BYTES:
                raise Problem("form.media_too_large", msg("%(name)r is larger than %(mb)d MB.",
                                                          name=part.filename,
                                                          mb=conversion.MAX_MEDIA_BYTES // 2**20), 413)
            forms_service.add_media(version, part.filename, data, actor(), part.mimetype)
    except Problem as problem:
        db.session.rollback()  # all the files or none
        return _version(evaluation, form_id, version_id, {"media": _upload_message(problem)}, problem.status)
    db.session.commit()
    flash(_("%(n)s files saved.", n=len(parts)), "info")
    return redirect(url_for("dashboard.version_page", code=evaluation.code, form_id=form_id,
                            version_id=version_id), 303)


@bp.get("/dashboard/<code>/forms/<form_id>/versions/<int:version_id>/xlsform")
@in_evaluation("read")
def xlsform_download(evaluation, form_id, version_id):
    version = form_report.find_version(forms_service.get_form(evaluation, form_id), version_id)
    path, name, sha256 = form_report.source_file(version)
    return send_stored(path, "application/octet-stream", name, sha256)


@bp.get("/dashboard/<code>/forms/<form_id>/versions/<int:version_id>/xform")
@in_evaluation("read")
def xform_download(evaluation, form_id, version_id):
    version = form_report.find_version(forms_service.get_form(evaluation, form_id), version_id)
    return send_bytes(version.xml.encode("utf-8"), "application/xml", form_report.xform_name(version))

"""The export page: choose a form (or the report), a format and the filters; start the export as a job on
the `exports` queue, follow it on its page (export_progress.js polls `export_status`), download the file.
Everything goes through the same domain services as the API (server.exports, server.reports.jobs)."""
from flask import jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from server.dashboard import once
from server.dashboard.access import actor, in_evaluation
from server.dashboard.blueprint import bp
from server.dashboard.errors import problem_message
from server.dashboard.i18n import language
from server.exports import household_files, jobs, request as export_request, service
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.recusal.registry import RULES
from server.reports import jobs as report_jobs

REPORT_FORMATS = {"report_html": "html", "report_xlsx": "xlsx"}
KEY_MAX_BYTES = 32 * 1024  # a PEM private key is a few kilobytes


@bp.get("/dashboard/<code>/exports")
@in_evaluation("export")
def exports_page(evaluation):
    return _page(evaluation, {"labels": "en" if language() == "en" else "zh-Hans"})


@bp.post("/dashboard/<code>/exports")
@in_evaluation("export")
def export_post(evaluation):
    chosen = _chosen()
    try:
        job = _start(evaluation, chosen)
    except Problem as problem:
        db.session.rollback()
        return _page(evaluation, chosen, problem_message(problem)), problem.status
    db.session.commit()
    return redirect(url_for("dashboard.export_page", code=evaluation.code, job_id=job.id))


@bp.post("/dashboard/<code>/villages/<village_code>/household-files")
@in_evaluation("export")
@once.guarded
def village_household_files(evaluation, village_code):
    job = household_files.start(evaluation, village_code, actor())
    db.session.commit()
    return redirect(url_for("dashboard.export_page", code=evaluation.code, job_id=job.id), 303)


@bp.get("/dashboard/<code>/exports/<job_id>")
@in_evaluation("export")
def export_page(evaluation, job_id):
    job = jobs.view(jobs.export_job(evaluation, job_id))
    return render_template("dashboard/export.html", evaluation=evaluation, job=job,
                           status=_status(evaluation, job),
                           forms=dict(jobs.forms(evaluation)))


@bp.get("/dashboard/<code>/exports/<job_id>/status")
@in_evaluation("export")
def export_status(evaluation, job_id):
    """What the export page shows, for its polling script."""
    return jsonify(_status(evaluation, jobs.view(jobs.export_job(evaluation, job_id))))


@bp.get("/dashboard/<code>/exports/<job_id>/file")
@in_evaluation("export")
def export_file(evaluation, job_id):
    path, name = jobs.finished_file(jobs.export_job(evaluation, job_id))
    return send_file(path, as_attachment=True, download_name=name, conditional=True)


def _page(evaluation, chosen, error=None):
    return render_template("dashboard/exports.html", evaluation=evaluation, chosen=chosen, error=error,
                           forms=jobs.forms(evaluation), recent=jobs.recent(evaluation),
                           rules=sorted((r.info for r in RULES), key=lambda r: r.code),
                           statuses=export_request.FILTER_STATUSES)


def _chosen():
    """The form's fields as the page sent them (shown again when the request is refused)."""
    form = request.form
    filters = {name: form.get(name, "").strip() for name in ("rule", "enumerator", "village", "date_from",
                                                             "date_to")}
    filters = {k: v for k, v in filters.items() if v}
    statuses = form.getlist("status")
    if statuses:
        filters["status"] = statuses
    return {"form": form.get("form", ""), "format": form.get("format", "csv"),
            "labels": form.get("labels", "zh-Hans"), "tables": form.get("tables", "csv"),
            "bom": bool(form.get("bom")), "filters": filters}


def _start(evaluation, chosen):
    if chosen["format"] in REPORT_FORMATS:
        report_language = "en" if chosen["labels"] == "en" else "zh"
        return report_jobs.start(evaluation, REPORT_FORMATS[chosen["format"]], report_language, actor())
    form, params = export_request.checked(evaluation, chosen)
    key, passphrase = _private_key()
    return service.start(evaluation, form, params, actor(), private_key=key, passphrase=passphrase)


def _private_key():
    """The uploaded private key (PEM) and its passphrase, for this export only; (None, None) without."""
    upload = request.files.get("private_key")
    data = upload.read(KEY_MAX_BYTES + 1) if upload else b""
    if not data:
        return None, None
    if len(data) > KEY_MAX_BYTES:
        raise Problem("decryption.bad_key", msg("The private key file is too large to be a PEM key."), 400)
    try:
        pem = data.decode("ascii")
    except UnicodeDecodeError:
        raise Problem("decryption.bad_key", msg("The private key must be a PEM file."), 400) from None
    return pem, request.form.get("passphrase") or None


def _status(evaluation, job):
    """{state, progress, text, ready, download_url, error} in the page's language."""
    download = None
    if job["ready"]:
        download = url_for("dashboard.export_file", code=evaluation.code, job_id=job["id"])
    return {"state": job["state"], "state_text": _state_names().get(job["state"], job["state"]),
            "progress": job["progress"] or 0, "text": _progress_text(job), "ready": job["ready"],
            "error": _error_text(job), "download_url": download,
            "file_name": (job["result"] or {}).get("name") if job["ready"] else None}


def _state_names():
    return {"queued": _("queued"), "running": _("running"), "done": _("done"), "failed": _("failed")}


def _status_names():
    return {"review": _("awaiting review"), "clean": _("clean"), "cleared": _("cleared"),
            "excluded": _("excluded"), "unchecked": _("not checked yet")}


def _progress_text(job):
    result = job["result"] or {}
    if job["state"] == "done":
        if result.get("expired"):
            return _("Done; the file has since been removed. Start the export again.")
        if result.get("format") == report_jobs.FORMAT:
            return _("Done: the report is ready.")
        if result.get("format") == household_files.FORMAT:
            return _("Done: the files of %(n)s households are ready.", n=result.get("households", 0))
        names = _status_names()
        counts = sorted((result.get("statuses") or {}).items())
        statuses = ", ".join(f"{names.get(status, status)} {n}" for status, n in counts)
        return _("Done: %(n)s interviews exported (%(statuses)s).", n=result.get("interviews", 0),
                 statuses=statuses or _("none"))
    if job["state"] == "failed":
        return _("The export failed.")
    if job.get("total") is not None:
        return _("%(done)s of %(total)s interviews written", done=job["done"] or 0, total=job["total"])
    if job["state"] == "queued":
        return _("Waiting for a worker…")
    return _("Running…")


def _error_text(job):
    if job["state"] != "failed":
        return None
    code = (job["result"] or {}).get("code")
    return problem_message(Problem(code, job["error"] or "", 400)) if code else job["error"]

"""The register: search it, one household with its members and interviews, import a register file (with
its template and the errors row by row), and a village's QR card sheet for printing."""
import io
import re

from flask import abort, flash, make_response, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import RequestEntityTooLarge

from server.dashboard import errors
from server.dashboard import once
from server.dashboard.access import actor, in_evaluation
from server.dashboard.blueprint import bp
from server.dashboard.field_messages import translated
from server.dashboard.i18n import language
from server.feed import household_file
from server.households import cards, codes, search, service, tabular, upload_checks
from server.households import template as register_template
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.recusal import interview_table

SHOWN_ERRORS = 200  # rows of import errors on the page; the count says how many more
VILLAGE_CODE = re.compile(r"\d{12}")
# The printed sheet is a document of its own: its style is inline and its QR codes are data: images.
CARDS_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
             "frame-ancestors 'none'")


@bp.get("/dashboard/<code>/households")
@in_evaluation("read")
def households_page(evaluation):
    text = request.args.get("q", "").strip()
    village = request.args.get("village", "")
    status = request.args.get("status", "")
    if (village and not VILLAGE_CODE.fullmatch(village)) or (status and status not in codes.STATUSES):
        abort(404)
    rows, cursor = search.search(evaluation.id, text, village or None, status or None,
                                 request.args.get("after") or None, brief=True)
    return render_template("dashboard/households.html", evaluation=evaluation, rows=rows, cursor=cursor,
                           q=text, village=village, status=status, villages=search.villages(evaluation.id),
                           statuses=codes.STATUSES, first_page=not request.args.get("after"),
                           label=code_label)


@bp.get("/dashboard/<code>/households/<archive_id>")
@in_evaluation("read")
def household_page(evaluation, archive_id):
    household = service.get_household(evaluation.id, archive_id)
    interviews, more = interview_table.page(evaluation, {"household": archive_id}, limit=50)
    return render_template("dashboard/household.html", evaluation=evaluation, household=household,
                           record=household.record or {}, interviews=interviews, more_interviews=more,
                           card=search.card_state(household), assignments=search.assignments_of(household),
                           codes=codes, label=code_label)


@bp.get("/dashboard/<code>/households/<archive_id>/file")
@in_evaluation("feed")
def household_file_download(evaluation, archive_id):
    """The household's file (一户一档), as the archive system gets it from the API."""
    stream, name = household_file.download(evaluation, archive_id, actor())
    db.session.commit()
    return send_file(stream, mimetype="application/zip", as_attachment=True, download_name=name)


def code_label(table, key):
    """A code list's value in the page's language (codes.py holds the Chinese labels)."""
    if key in (None, ""):
        return "—"
    if language() == "zh":
        return table.get(key, key)
    return str(key).replace("_", " ")


@bp.get("/dashboard/<code>/register/import")
@in_evaluation("register")
def import_page(evaluation):
    return render_template("dashboard/households_import.html", evaluation=evaluation, problem=None,
                           rows=[], more=0, columns=register_template.columns())


@bp.post("/dashboard/<code>/register/import")
@in_evaluation("register")
@once.guarded
def import_post(evaluation):
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise Problem("import.bad_format", msg("Send a .csv, .xlsx or .jsonl file."), 400)
        records, lines = tabular.read_upload(upload.stream, upload.filename)
        result = tabular.import_records(evaluation.id, records, lines, actor())
    except Problem as problem:
        db.session.rollback()
        return _import_errors(evaluation, problem)
    flash(_("Imported %(name)s: %(created)s new, %(updated)s changed, %(unchanged)s unchanged households.",
            name=upload.filename, created=result["created"], updated=result["updated"],
            unchanged=result["unchanged"]), "info")
    return redirect(url_for("dashboard.households_page", code=evaluation.code))


def _import_errors(evaluation, problem):
    rows = [{**d, "message": translated(d.get("message", ""))} for d in problem.details[:SHOWN_ERRORS]
            if "field" in d]
    page = render_template("dashboard/households_import.html", evaluation=evaluation,
                           problem=errors.problem_message(problem), rows=rows,
                           more=max(0, len(problem.details) - SHOWN_ERRORS) if rows else 0,
                           total=len(problem.details),
                           failed_rows=len({d.get("line") for d in problem.details}),
                           filename=request.files.get("file").filename if request.files.get("file") else "",
                           columns=register_template.columns())
    return page, 422 if problem.code == "household.invalid" else problem.status


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(exc):
    # Raised while the form is parsed, before the view: the limit is the app's, said in the file's terms.
    return errors.page(413, errors.problem_message(upload_checks.too_large())), 413


@bp.get("/dashboard/<code>/register/template/<kind>")
@in_evaluation("read")
def register_template_file(evaluation, kind):
    if kind not in register_template.files():
        abort(404)
    name, write, mimetype = register_template.files()[kind]
    out = io.BytesIO()
    write(out)
    out.seek(0)
    return send_file(out, mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get("/dashboard/<code>/villages/<village_code>/cards")
@in_evaluation("register")
def village_cards(evaluation, village_code):
    if not VILLAGE_CODE.fullmatch(village_code) or not cards.village_cards(evaluation.id, village_code):
        abort(404)
    response = make_response(cards.render_sheet(evaluation, village_code))
    response.headers["Content-Security-Policy"] = CARDS_CSP
    return response

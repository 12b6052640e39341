"""Error pages in the dashboard's layout and language: never a stack trace.

A `Problem` raised in a dashboard view renders its page; HTTP errors (404 of an unknown path, 405,
500) render HTML for a browser outside the API and OpenRosa surfaces, JSON for everything else.
"""
import logging

from flask import g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError, ServiceUnavailable

from server.dashboard.blueprint import bp
from server.dashboard.field_messages import problem_text
from server.dashboard.i18n import language
from server.infra.errors import Problem

log = logging.getLogger(__name__)
MACHINE_PREFIXES = ("/api/", "/key/", "/h/")


def init_app(app):
    # The JSON error handlers (server/web/problem_json.py) ask this first, so a browser gets a page.
    app.extensions["fieldcheck.html_error_page"] = render_http_error_page


def wants_html():
    if request.blueprint == "dashboard":
        return True
    if request.blueprint is not None or request.path.startswith(MACHINE_PREFIXES):
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    accept = request.accept_mimetypes
    return best == "text/html" and accept[best] > accept["application/json"]


def render_problem(problem):
    if problem.status == 401:
        return redirect(url_for("dashboard.login", next=request.full_path.rstrip("?")))
    return page(problem.status, problem_message(problem)), problem.status


def render_http_error_page(exc):
    """The HTML page for an HTTP error, or None when the caller should answer JSON."""
    if not wants_html():
        return None
    if isinstance(exc, InternalServerError) or not isinstance(exc, HTTPException):
        return page(500, ""), 500
    if isinstance(exc, ServiceUnavailable):
        # The database is away: draw the page without it (the signed-in user's name would be
        # loaded again, the session having been rolled back).
        g.user = None
        return page(503, _("The database cannot be reached just now. Wait a few seconds and reload "
                           "the page.")), 503
    return page(exc.code, ""), exc.code


TITLES = {
    403: lambda: _("You may not do this"),
    404: lambda: _("Page not found"),
    409: lambda: _("Something changed meanwhile"),
    410: lambda: _("The file is gone"),
    413: lambda: _("The file is too large"),
    429: lambda: _("Too many attempts"),
    503: lambda: _("The server is briefly unavailable"),
    500: lambda: _("Something went wrong on the server"),
}


def page(status, message):
    title = TITLES.get(status, lambda: _("This request could not be answered"))()
    return render_template("dashboard/error.html", status=status, title=title, message=message)


def problem_message(problem):
    """The Problem's message in the page's language: the dashboard's own words for the codes below, else
    the Problem's message (server/infra/i18n.py) in that language."""
    known = {
        "auth.csrf": lambda: _("This form has expired or did not come from this site; reload the page "
                               "and try again."),
        "auth.forbidden": lambda: _("Your role in this evaluation does not allow this."),
        "evaluation.not_found": lambda: _("There is no such evaluation, or it is not one of yours."),
        "submission.not_found": lambda: _("There is no such interview in this evaluation."),
        "attachment.not_found": lambda: _("This interview has no such file."),
        "attachment.gone": lambda: _("The file was received but is missing from the media store; the "
                                     "operator has been told."),
        "review.changed": lambda: _("Another supervisor decided on this interview after you opened it. "
                                    "Read their decision below before making yours."),
        "review.reason_required": lambda: _("Write a reason of at least 10 characters."),
        "classification.reason_required": lambda: _("Write a reason of at least 10 characters."),
        "review.empty_comment": lambda: _("Write the comment first."),
        "auth.bad_credentials": lambda: _("Wrong username or password."),
        "review.empty_selection": lambda: _("Select interviews, or apply a filter first."),
        "job.not_found": lambda: _("There is no such job in this evaluation."),
        "export.missing_form": lambda: _("Choose the form to export."),
        "export.unknown_form": lambda: _("This evaluation has no such form."),
        "export.unknown_enumerator": lambda: _("This evaluation has no enumerator by that username."),
        "export.bad_date": lambda: _("The dates are not valid, or the first day is after the last."),
        "export.too_large": lambda: _("SPSS and Stata files hold a limited number of interviews: narrow "
                                      "the filters, or export CSV."),
        "export.not_ready": lambda: _("The export is not finished yet."),
        "export.expired": lambda: _("This export's file has been removed; start the export again."),
        "decryption.bad_key": lambda: _("This is not a PEM private key for ODK form encryption, or its "
                                        "passphrase is missing or wrong."),
        "form.sent_twice": lambda: _("This form was sent twice; only the first one counts. Reload the page "
                                     "to see what it did."),
        "form.not_found": lambda: _("There is no such form in this evaluation."),
        "form.version_not_found": lambda: _("This form has no such version."),
        "form.source_gone": lambda: _("The XLSForm of this version is missing from the media store."),
        "enumerator.not_found": lambda: _("There is no such enumerator in this evaluation."),
        "form.no_once": lambda: _("This form is missing its one-time token; reload the page and send it "
                                  "again."),
    }
    if problem.code in known:
        return known[problem.code]()
    return problem_text(problem) or problem.localized(language())


bp.register_error_handler(Problem, render_problem)

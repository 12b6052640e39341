"""Render `Problem` and HTTP errors as JSON for the app's own surfaces (OpenRosa renders XML itself),
and a database that is away as a retryable 503, never a 500."""
import psycopg
from flask import current_app
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException, ServiceUnavailable

from server.infra.database import RETRY_AFTER, unavailable
from server.infra.errors import Problem, http_problem
from server.infra.extensions import db
from server.infra.i18n import msg
from server.infra.problem_response import problem_response

UNAVAILABLE = Problem("server.unavailable", msg("The database is briefly unavailable; send the request "
                                                "again in %(seconds)d seconds.", seconds=RETRY_AFTER), 503)

HTML_PAGE = "fieldcheck.html_error_page"  # app.extensions key: (exc) -> a page for a browser, or None


def init_app(app):
    app.register_error_handler(Problem, render_problem)
    app.register_error_handler(HTTPException, render_http_error)
    app.register_error_handler(SQLAlchemyError, render_database_error)
    app.register_error_handler(psycopg.OperationalError, render_database_error)


def render_problem(problem):
    return problem_response(problem)


def render_http_error(exc):
    renderer = current_app.extensions.get(HTML_PAGE)
    page = renderer(exc) if renderer is not None else None
    if page is not None:
        return page
    return problem_response(http_problem(exc))


def render_database_error(exc):
    if not unavailable(exc):
        raise exc  # a bug or bad data: the usual 500, logged
    _roll_back()
    retry = {"Retry-After": str(RETRY_AFTER)}
    renderer = current_app.extensions.get(HTML_PAGE)
    page = renderer(ServiceUnavailable()) if renderer is not None else None
    if page is not None:
        body, status = page
        return body, status, retry
    return problem_response(UNAVAILABLE, retry)


def _roll_back():
    try:
        db.session.rollback()
    except Exception:  # the connection is gone already; the session is reset at teardown anyway
        pass

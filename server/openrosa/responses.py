"""How the OpenRosa surface answers: its headers on every response, every error as XML.

Collect shows the first `<message>` of an OpenRosaResponse, so each failure (a Problem from the
domain, an auth failure, an HTTP error such as 413, or a bug) becomes one, in Chinese or English
(Accept-Language, else the evaluation's language), with the status from the message catalogue.
"""
import logging

from flask import Response, current_app, g, request
from werkzeug.exceptions import ClientDisconnected, HTTPException, RequestEntityTooLarge

from server.infra.database import RETRY_AFTER, unavailable
from server.infra.errors import Problem
from server.infra.extensions import db
from server.openrosa.blueprint import bp
from server.openrosa.auth import AuthProblem, authenticate, challenge_headers
from server.openrosa.messages import CATALOGUE, message, pick_language
from server.openrosa.xml import CONTENT_TYPE, openrosa_headers, render_coded, render_response

log = logging.getLogger(__name__)


def xml_response(body, status=200):
    return Response(body, status=status, content_type=CONTENT_TYPE)


def coded_response(code, **params):
    body, status = render_coded(code, language(), **params)
    return xml_response(body, status)


def language(default=None):
    caller = getattr(g, "openrosa_caller", None)
    fallback = caller.language if caller else (default or current_app.config["BABEL_DEFAULT_LOCALE"])
    return pick_language(request.headers.get("Accept-Language"), fallback)


@bp.url_value_preprocessor
def _take_ids(_endpoint, values):
    # Views never see the prefix parts; the caller is authenticated once, before every view.
    g.openrosa_code = values.pop("code", None)
    g.openrosa_token = values.pop("token", None)


@bp.before_request
def _authenticate():
    g.openrosa_caller = authenticate(g.openrosa_code, g.openrosa_token)


@bp.after_request
def _add_headers(response):
    headers = openrosa_headers(current_app.config["OPENROSA_ACCEPT_CONTENT_LENGTH"])
    if response.mimetype and "xml" not in response.mimetype:
        headers.pop("Content-Type")  # media keep their own type
    response.headers.update(headers)
    if response.status_code == 204:
        response.headers.pop("Content-Type", None)
    return response


def _render_problem(problem):
    lang = language(getattr(problem, "language", None))
    details = problem.details if isinstance(problem.details, dict) else {}
    params = getattr(problem, "params", None) or details
    if problem.code in CATALOGUE:
        text = message(problem.code, lang, **params)
    else:
        text = problem.message
    response = xml_response(render_response(text, error=True), problem.status)
    if isinstance(problem, AuthProblem) and problem.challenge:
        response.status_code = 401
        response.headers.extend(challenge_headers(problem.stale, g.get("openrosa_code")))
    if problem.status == 503:
        response.headers["Retry-After"] = str(RETRY_AFTER)
    return response


def _render_http(exc):
    if isinstance(exc, RequestEntityTooLarge):
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        response = coded_response("submission.too_large", limit_mb=limit // 2**20)
        response.headers["Connection"] = "close"  # the rest of the body will not be read
        return response
    if isinstance(exc, ClientDisconnected):  # the body ended before its Content-Length
        return coded_response("submission.truncated")
    return xml_response(render_response(exc.description or exc.name, error=True), exc.code)


def _render_bug(exc):
    if unavailable(exc):
        # A restart, a failover, a blip: Collect shows the message and the phone sends again later.
        log.warning("OpenRosa request %s %s: database unavailable: %s", request.method, request.path, exc)
        _roll_back()
        response = coded_response("server.unavailable")
        response.headers["Retry-After"] = str(RETRY_AFTER)
        return response
    log.exception("OpenRosa request failed: %s %s", request.method, request.path)
    return coded_response("server.error")


def _roll_back():
    try:
        db.session.rollback()
    except Exception:  # the connection is gone already; the session is reset at teardown anyway
        pass


bp.register_error_handler(Problem, _render_problem)
bp.register_error_handler(HTTPException, _render_http)
bp.register_error_handler(Exception, _render_bug)

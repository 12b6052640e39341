"""How the OpenRosa surface answers: its headers on every response, every error as XML.

Collect shows the first `<message>` of an OpenRosaResponse, so each failure (a Problem from the
domain, an auth failure, an HTTP error such as 413, or a bug) becomes one, in Chinese or English
(Accept-Language, else the evaluation's language), with the status from the message catalogue.
"""
import logging

from flask import Response, current_app, g, request
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from server.errors import Problem
from server.openrosa import bp
from server.openrosa.auth import AuthProblem, authenticate, challenge_headers
from server.openrosa.messages import CATALOGUE, message, pick_language
from server.openrosa.xml import CONTENT_TYPE, openrosa_headers, render_coded, render_response

log = logging.getLogger(__name__)
_HTTP_CODES = {413: "submission.too_large", 400: "submission.truncated"}


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
    return response


def _render_http(exc):
    if isinstance(exc, RequestEntityTooLarge):
        limit = current_app.config.get("MAX_CONTENT_LENGTH")
        response = coded_response("submission.too_large", limit=limit)
        response.headers["Connection"] = "close"  # the rest of the body will not be read
        return response
    code = _HTTP_CODES.get(exc.code)
    if code:
        return coded_response(code)
    return xml_response(render_response(exc.description or exc.name, error=True), exc.code)


def _render_bug(exc):
    log.exception("OpenRosa request failed: %s %s", request.method, request.path)
    return coded_response("server.error")


bp.register_error_handler(Problem, _render_problem)
bp.register_error_handler(HTTPException, _render_http)
bp.register_error_handler(Exception, _render_bug)

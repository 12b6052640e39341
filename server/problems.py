"""Render `Problem` and HTTP errors as JSON for the app's own surfaces (OpenRosa renders XML itself)."""
from flask import jsonify
from werkzeug.exceptions import HTTPException

from server.errors import Problem


def init_app(app):
    app.register_error_handler(Problem, render_problem)
    app.register_error_handler(HTTPException, render_http_error)


def render_problem(problem):
    return jsonify(problem.to_dict()), problem.status


def render_http_error(exc):
    body = {"code": f"http.{exc.code}", "message": exc.description, "details": []}
    return jsonify(body), exc.code

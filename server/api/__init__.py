"""The JSON API under /api/v1: bearer tokens or a signed-in session, marshmallow schemas, OpenAPI.

Each resource lives in its own module and registers its routes and handlers on `bp` when imported;
errors are always `{"code", "message", "details"}`.
"""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def init_app(app):
    app.register_blueprint(bp)


# Importing the resource modules sets up `bp` (routes, error handlers) once.
from server.api import errors, evaluations, forms, openapi, pipeline, session  # noqa: E402,F401
from server.api import assignments, households, samples  # noqa: E402,F401
from server.api import enumerators  # noqa: E402,F401
from server.api import rules, submissions  # noqa: E402,F401
from server.api import backchecks, figures, reconciliation  # noqa: E402,F401

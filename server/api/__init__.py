"""The JSON API under /api/v1: bearer tokens or a signed-in session, marshmallow schemas, OpenAPI.

Each resource lives in its own module and registers its routes and handlers on `bp` when imported;
errors are always `{"code", "message", "details"}`.
"""
from server.api import (  # noqa: F401
    assignments,
    backchecks,
    chain,
    changes,
    decryptions,
    docs_page,
    enumerators,
    errors,
    evaluations,
    exports,
    figures,
    form_versions,
    forms,
    households,
    members,
    openapi,
    pipeline,
    reconciliation,
    reports,
    rules,
    samples,
    session,
    submissions,
    users,
    webhooks,
)
from server.api.blueprint import bp


def init_app(app):
    app.register_blueprint(bp)

"""The supervisors' dashboard: server-rendered pages at `/` and `/dashboard/<code>/...`.

Views are thin: they authorise (access.py), call the same domain services as server/api/, and render.
Importing the view modules sets up `bp` (routes, error handlers, the CSRF check) once.
"""
from server.dashboard import errors, i18n, page_context, security  # noqa: F401
from server.dashboard import (  # noqa: F401
    views_auth,
    views_enumerators,
    views_evaluation,
    views_exports,
    views_figures,
    views_forms,
    views_households,
    views_interview,
    views_samples,
    views_settings,
    views_users,
)
from server.dashboard.blueprint import bp


def init_app(app):
    i18n.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.context_processor(page_context.page_context)
    app.register_blueprint(bp)

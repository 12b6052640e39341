"""fieldcheck: a field-survey server for third-party evaluation.

`create_app` assembles the app: configuration and the infrastructure, then the domain's hooks, then the
web surfaces (the JSON API, OpenRosa for Collect, the app's own small routes). The CLI (server/cli) and
the worker (worker/) are surfaces too; they call `create_app`, it never imports them.
Importing this package reads no environment, opens no connection and imports nothing heavy: Flask,
SQLAlchemy and the surfaces come with `create_app`, so `fieldcheck --help` starts at once.
"""
import os


def create_app(overrides=None, web=True, migrations=None):
    """Build the app. `overrides` (a dict) wins over the environment, which wins over defaults.

    web=False leaves out the blueprints and Babel, and migrations=False Flask-Migrate (default: as
    web): the `fieldcheck` command builds its commands' app that way, since they need the database,
    the queues and the domain's hooks but no routes, and its start-up time matters.
    """
    from flask import Flask

    from server.infra.config import load_config  # lazy: start-up time of the fieldcheck command
    from server.infra.database import configure_database  # lazy: start-up time of the fieldcheck command
    from server.infra.instance import fill_instance_defaults  # lazy: start-up time of the fieldcheck command
    from server.web.cookie_sessions import CookieSessions  # lazy: start-up time of the fieldcheck command

    overrides = dict(overrides or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or os.environ.get("FIELDCHECK_INSTANCE")
    app = Flask(__name__, instance_path=instance_path and os.path.abspath(instance_path))
    app.session_interface = CookieSessions()
    load_config(app, overrides)
    fill_instance_defaults(app)
    configure_database(app)
    register_extensions(app, web, web if migrations is None else migrations)
    register_hooks(app)
    if web:
        register_blueprints(app)
    return app


def register_extensions(app, web=True, migrations=True):
    from server.infra.database import tune_sqlite  # lazy: start-up time of the fieldcheck command
    from server.infra.extensions import db, rq  # lazy: start-up time of the fieldcheck command
    from server.web import proxy  # lazy: start-up time of the fieldcheck command

    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    if migrations:
        from flask_migrate import Migrate

        Migrate(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"),
                render_as_batch=True, compare_type=True)
    if web:
        from flask_babel import Babel

        from server.dashboard.i18n import select_locale  # lazy: start-up time of the fieldcheck command

        Babel(app, locale_selector=select_locale)
    rq.init_app(app)
    proxy.init_app(app)


def register_hooks(app):
    """The domain's listeners, installed here and never by importing a module."""
    from server.figures import status_hook  # lazy: start-up time of the fieldcheck command
    from server.infra.database import end_sessions_quietly  # lazy: start-up time of the fieldcheck command
    from server.pipeline import outbox  # lazy: start-up time of the fieldcheck command

    outbox.init_app(app)
    end_sessions_quietly(app)  # after Flask-SQLAlchemy's teardown is registered, so it runs first
    status_hook.install()  # a status change anywhere (a review, the rules) moves the figures


def register_blueprints(app):
    from server import api, dashboard, openrosa  # lazy: start-up time of the fieldcheck command
    from server.infra import rate_limits  # lazy: as above
    from server.web import cards, health, problem_json, text_guard  # lazy: the fieldcheck command's start-up

    text_guard.init_app(app)
    rate_limits.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(cards.bp)
    api.init_app(app)
    openrosa.init_app(app)
    problem_json.init_app(app)
    dashboard.init_app(app)

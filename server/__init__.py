"""fieldcheck: a field-survey server for third-party evaluation.

`create_app` builds the Flask app: config, then extensions, then blueprints, errors and the CLI.
Importing this package reads no environment and opens no connection.
"""
import os

from flask import Flask

from server.config import load_config
from server.cookie_sessions import CookieSessions
from server.database import configure_database, tune_sqlite
from server.extensions import babel, db, migrate, rq
from server.instance import fill_instance_defaults


def create_app(overrides=None):
    """Build the app. `overrides` (a dict) wins over the environment, which wins over defaults."""
    overrides = dict(overrides or {})
    instance_path = overrides.pop("INSTANCE_PATH", None) or os.environ.get("FIELDCHECK_INSTANCE")
    app = Flask(__name__, instance_path=instance_path and os.path.abspath(instance_path))
    app.session_interface = CookieSessions()
    load_config(app, overrides)
    fill_instance_defaults(app)
    configure_database(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)
    return app


def register_extensions(app):
    db.init_app(app)
    with app.app_context():
        tune_sqlite(db.engine)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"),
                     render_as_batch=True, compare_type=True)
    babel.init_app(app, locale_selector=_select_locale)
    rq.init_app(app)
    from server import outbox

    outbox.init_app(app)


def register_blueprints(app):
    from server import api, health, openrosa, problems

    app.register_blueprint(health.bp)
    app.register_blueprint(__import__("server.households.views", fromlist=["bp"]).bp)
    api.init_app(app)
    openrosa.init_app(app)
    problems.init_app(app)


def register_commands(app):
    from server.cli import register

    register(app)


def _select_locale():
    from flask import request

    return request.accept_languages.best_match(["zh", "en"]) or app_default_locale()


def app_default_locale():
    from flask import current_app

    return current_app.config["BABEL_DEFAULT_LOCALE"]

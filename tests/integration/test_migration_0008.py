"""Migration 0008 encrypts the Digest HA1 of existing enumerators (and a downgrade restores it)."""
from flask_migrate import downgrade, upgrade
from sqlalchemy import text

from server import create_app
from server.infra import secrets_box
from server.infra.extensions import db
from server.accounts.users import ha1
from tests.integration.test_migrations import _scratch_databases


def test_existing_ha1_values_are_encrypted_and_still_work(tmp_path, services):
    clear = ha1("enum1", "fieldcheck", "field-password-1")
    for url in _scratch_databases(tmp_path):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": services.redis_url,
                          "INSTANCE_PATH": str(tmp_path / "instance"), "SECRET_KEY": "x", "DATA_KEY": "k"})
        with app.app_context():
            upgrade(revision="0007")
            with db.engine.begin() as connection:
                connection.execute(text(
                    "INSERT INTO evaluation (id, code, name, settings, default_language, archived, "
                    "created_at) VALUES (1, 'c1', 'C1', '{}', 'zh', false, CURRENT_TIMESTAMP)"))
                connection.execute(text(
                    "INSERT INTO enumerator (id, evaluation_id, username, display_name, province, county, "
                    "township, village, active, digest_ha1, created_at) VALUES (1, 1, 'enum1', '', '', 'c', "
                    "'t', 'v', true, :ha1, CURRENT_TIMESTAMP)"), {"ha1": clear})
            upgrade(revision="0008")
            with db.engine.connect() as connection:
                sealed = connection.execute(text("SELECT digest_ha1_encrypted FROM enumerator")).scalar()
            assert clear not in sealed and secrets_box.decrypt(sealed) == clear
            downgrade(revision="0007")
            with db.engine.connect() as connection:
                assert connection.execute(text("SELECT digest_ha1 FROM enumerator")).scalar() == clear
            downgrade(revision="base")
            db.engine.dispose()

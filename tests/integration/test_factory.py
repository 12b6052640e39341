"""The app factory: configuration order, embedded defaults, and bad configuration failing in one line."""
import subprocess
import sys

import pytest

from server import create_app
from server.infra.errors import ConfigError


def test_overrides_beat_environment_which_beats_defaults(monkeypatch, tmp_path):
    monkeypatch.setenv("PUBLIC_URL", "https://from-env.example")
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "env-media"))
    app = create_app({"INSTANCE_PATH": str(tmp_path), "PUBLIC_URL": "https://override.example"})
    assert app.config["PUBLIC_URL"] == "https://override.example"
    assert app.config["MEDIA_ROOT"] == str(tmp_path / "env-media")
    assert app.config["OPENROSA_ACCEPT_CONTENT_LENGTH"] == 100 * 1024 * 1024


def test_embedded_defaults_live_in_the_instance_folder(monkeypatch, tmp_path):
    for name in ("DATABASE_URL", "REDIS_URL", "SECRET_KEY", "MEDIA_ROOT", "FIELDCHECK_DATA_KEY"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/fieldcheck.db"
    assert app.config["MEDIA_ROOT"] == str(tmp_path / "media")
    assert app.config["REDIS_URL"] == ""  # embedded Redis starts on first use, not at create_app
    secret = app.config["SECRET_KEY"]
    assert len(secret) >= 40 and (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"] == secret


def test_postgres_urls_use_psycopg3(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "SQLALCHEMY_DATABASE_URI": "postgres://u@h/db"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@h/db"


@pytest.mark.parametrize("key, value, says", [
    ("SQLALCHEMY_DATABASE_URI", "mysql://u@h/db", "use postgresql:// or sqlite://"),
    ("SQLALCHEMY_DATABASE_URI", "not a url", "is not a database URL"),
    ("REDIS_URL", "http://localhost:6379", "is not a redis://"),
    ("REDIS_URL", "redis://localhost:port/0", "invalid port"),
])
def test_bad_configuration_is_refused(tmp_path, key, value, says):
    with pytest.raises(ConfigError, match=says):
        create_app({"INSTANCE_PATH": str(tmp_path), key: value})


def test_importing_reads_no_environment_and_opens_nothing():
    # With garbage in every variable, importing the packages must still work.
    env = {"DATABASE_URL": "garbage://", "REDIS_URL": "garbage://", "PATH": "/usr/bin:/bin"}
    code = "import server, server.models, worker.drain, worker.events, forms; print('imported')"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert "imported" in result.stdout


@pytest.mark.parametrize("env, says", [
    ({"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"}, "cannot reach the database at postgresql"),
    ({"REDIS_URL": "redis//oops"}, "is not a redis://"),
])
def test_cli_fails_fast_in_one_line(tmp_path, env, says):
    result = subprocess.run([sys.executable, "-m", "server", "serve", "--port", "1"],
                            env={"PATH": "/usr/bin:/bin", "FIELDCHECK_INSTANCE": str(tmp_path), **env},
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fieldcheck: configuration error:")
    assert says in lines[0] and "Traceback" not in result.stderr

"""The instance folder: where the embedded defaults (SQLite file, Redis, media, keys) live."""
import os
import secrets


def fill_instance_defaults(app):
    """Fill every empty setting with its embedded default inside the instance folder."""
    os.makedirs(app.instance_path, exist_ok=True)
    config = app.config
    if not config["SQLALCHEMY_DATABASE_URI"]:
        config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///" + os.path.join(app.instance_path, "fieldcheck.db")
    if not config["MEDIA_ROOT"]:
        config["MEDIA_ROOT"] = os.path.join(app.instance_path, "media")
    if not config["SECRET_KEY"]:
        config["SECRET_KEY"] = _kept_secret(app.instance_path, "secret_key")
    if config["PUBLIC_URL"].startswith("https://"):
        config["SESSION_COOKIE_SECURE"] = True
    if not config["DATA_KEY"]:
        config["DATA_KEY"] = _kept_secret(app.instance_path, "data_key")


def _kept_secret(folder, name):
    """A random secret made once and kept in the instance folder (never in the repository)."""
    path = os.path.join(folder, name)
    try:
        with open(path) as fh:
            return fh.read().strip()
    except FileNotFoundError:
        value = secrets.token_urlsafe(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(value)
        return value

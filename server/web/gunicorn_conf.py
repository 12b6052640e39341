"""gunicorn settings for the web process: `gunicorn -c python:server.web.gunicorn_conf "server:create_app()"`.

Threaded workers (gthread): a submission request is short (stream to disk, hash, one database
write) and waits on fsync and the database, so a few threads per process keep both cores busy,
and keep-alive connections (Collect's OkHttp keeps them) save a TCP handshake per request. A
phone uploading slowly holds one thread, not a whole process. Memory stays flat even for a 200 MB
upload: attachments are streamed to disk. Override with WEB_CONCURRENCY and GUNICORN_* variables.
"""
import multiprocessing
import os

from server.infra import gcpause

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "gthread")
threads = int(os.environ.get("GUNICORN_THREADS", 6))
# Phones on slow networks upload for a long time; a worker is never killed mid-upload before this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 300))
graceful_timeout = 60
keepalive = 30  # seconds an idle Collect connection is kept for its next request
# Recycle workers now and then, so a slow leak in any library can never grow without bound.
max_requests = 20000
max_requests_jitter = 2000
# gunicorn itself trusts no X-Forwarded-* header: proxy trust is decided in one place, the app's PROXY_FIX
# (server/web/proxy.py), so the scheme, host and client address come from the same hops.
forwarded_allow_ips = ""
# The proxy in front logs every request; GUNICORN_ACCESSLOG=- logs them here as well (to stdout).
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None


def post_worker_init(worker):
    """The app is loaded: what it made at start-up is kept out of the collector's walks."""
    gcpause.freeze_startup()

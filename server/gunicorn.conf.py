"""gunicorn settings for the web process: `gunicorn -c server/gunicorn.conf.py "server:create_app()"`.

Sync workers: a submission request is short (stream to disk, three inserts, one commit) and spends
its time in fsync and database round trips, so a few more processes than cores keep the CPUs busy
while others wait. Each worker holds one request at a time, so its memory stays flat even for a
200 MB upload (it is streamed to disk). Override with WEB_CONCURRENCY / GUNICORN_* as usual.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Phones on slow networks upload for a long time; a worker is never killed mid-upload before this.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 300))
graceful_timeout = 60
# Recycle workers now and then, so a slow leak in any library can never grow without bound.
max_requests = 20000
max_requests_jitter = 2000
# Behind a reverse proxy, trust its X-Forwarded-* (fieldcheck's PROXY_FIX decides what the app uses).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")

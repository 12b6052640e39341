"""Make the repository root importable (server.*, testkit.collect_client) however pytest is run."""
import os
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

import threading  # noqa: E402
from contextlib import contextmanager  # noqa: E402

import pytest  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402


@contextmanager
def serving(app):
    """Run a WSGI app on a real socket in a thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                              daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def live():
    """live(app) → base URL of `app` served over real HTTP for the rest of the test."""
    stack = []

    def start(app):
        ctx = serving(app)
        stack.append(ctx)
        return ctx.__enter__()

    yield start
    for ctx in reversed(stack):
        ctx.__exit__(None, None, None)

"""A whole fieldcheck on private real services: PostgreSQL, Redis, a live web server, worker processes."""
import os
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import pytest
from flask_migrate import upgrade
from sqlalchemy import func, select
from werkzeug.serving import make_server

from server import create_app
from server.infra.database import dispose_autocommit_engine
from server.infra.extensions import db
from server.models import OutboxEvent, Submission
from tests.faults.services import PrivatePostgres, PrivateRedis, missing_binaries
from testkit.openrosa_factories import PLAIN, publish, setup_evaluation

SETTINGS = {"FIELDCHECK_WORKER_BATCH": "25", "FIELDCHECK_RELAY_INTERVAL": "1", "FIELDCHECK_RELAY_AFTER": "2"}


@dataclass
class Cluster:
    app: object
    pg: PrivatePostgres
    redis: PrivateRedis
    base_url: str
    collect_url: str
    env: dict
    workers: list = field(default_factory=list)

    def start_worker(self):
        process = subprocess.Popen([sys.executable, "-m", "server", "worker", "submissions"], env=self.env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.workers.append(process)
        return process

    def stop_workers(self, sig=signal.SIGTERM):
        for process in self.workers:
            if process.poll() is None:
                process.send_signal(sig)
        for process in self.workers:
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        self.workers.clear()

    def counts(self):
        """(submissions, processed once, processed more than once, events done, events failed)."""
        with self.app.app_context():
            runs = dict(db.session.execute(select(Submission.pipeline_runs, func.count())
                                           .group_by(Submission.pipeline_runs)).all())
            events = dict(db.session.execute(select(OutboxEvent.state, func.count())
                                             .group_by(OutboxEvent.state)).all())
            db.session.remove()
        more = sum(n for r, n in runs.items() if r > 1)
        return sum(runs.values()), runs.get(1, 0), more, events.get("done", 0), events.get("failed", 0)

    def wait_until(self, predicate, limit=90, what="the pipeline to finish"):
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            try:
                if predicate(self.counts()):
                    return
            except Exception:  # the database may be restarting
                pass
            time.sleep(0.2)
        raise AssertionError(f"timed out waiting for {what}: {self.counts()}")


@pytest.fixture
def cluster(tmp_path):
    reason = missing_binaries()
    if reason:
        pytest.skip(reason)
    pg, redis = PrivatePostgres(), PrivateRedis(tmp_path)
    pg.init()
    pg.start()
    redis.start()
    env = {**os.environ, **SETTINGS, "DATABASE_URL": pg.url, "REDIS_URL": redis.url,
           "FIELDCHECK_INSTANCE": str(tmp_path / "instance"), "MEDIA_ROOT": str(tmp_path / "media"),
           "SECRET_KEY": "fault-secret", "FIELDCHECK_DATA_KEY": "fault-data-key"}
    app = create_app({"SQLALCHEMY_DATABASE_URI": pg.url, "REDIS_URL": redis.url, "TESTING": True,
                      "INSTANCE_PATH": str(tmp_path / "instance"), "MEDIA_ROOT": str(tmp_path / "media"),
                      "SECRET_KEY": "fault-secret", "DATA_KEY": "fault-data-key", "RELAY_AFTER": 2})
    with app.app_context():
        upgrade(revision="heads")
        evaluation, _, token = setup_evaluation("faults")
        publish(evaluation, PLAIN, form_id="plain")
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    cluster = Cluster(app, pg, redis, base, f"{base}/key/{token}/faults", env)
    yield cluster
    cluster.stop_workers(signal.SIGKILL)
    server.shutdown()
    with app.app_context():
        db.engine.dispose()
        dispose_autocommit_engine(app)
    redis.stop()
    pg.stop()

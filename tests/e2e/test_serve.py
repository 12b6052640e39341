"""`fieldcheck serve` as an operator runs it: web and worker processes, a real job round-trip."""
import os
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

pytestmark = pytest.mark.e2e


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fieldcheck(*args, env, **kwargs):
    return subprocess.run([sys.executable, "-m", "server", *args], env=env, capture_output=True, text=True,
                          timeout=120, **kwargs)


def _serve_and_ping(env):
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_for(base + "/healthz", process)
        report = requests.get(base + "/healthz", params={"deep": 1}, timeout=30).json()
        return report, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=60)
        assert process.returncode == 0, output


def _wait_for(url, process, limit=60):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {limit} s")


def _base_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    return {**env, "FIELDCHECK_INSTANCE": str(tmp_path / "instance")}


def test_serve_embedded_runs_a_job_through_a_worker(tmp_path):
    env = _base_env(tmp_path)
    assert _fieldcheck("db", "upgrade", env=env).returncode == 0
    report, serve_pid = _serve_and_ping(env)
    assert report["status"] == "ok" and report["database"] == "ok" and report["redis"] == "ok"
    assert report["job"]["ok"] is True
    assert report["job"]["pid"] != serve_pid  # answered by the worker process, not the web one
    instance = tmp_path / "instance"
    assert (instance / "fieldcheck.db").exists() and (instance / "redis.db").exists()


@pytest.mark.skipif(not os.environ.get("TEST_REDIS_URL"),
                    reason="the real-services run (CI) sets TEST_REDIS_URL")
def test_serve_on_real_services_runs_a_job_through_a_worker(tmp_path, services, app):
    env = {**_base_env(tmp_path), "REDIS_URL": services.redis_url, "DATABASE_URL": services.database_url}
    report, serve_pid = _serve_and_ping(env)
    assert report["job"]["ok"] is True and report["redis"] == "ok" and report["database"] == "ok"
    assert report["job"]["pid"] != serve_pid

"""Benchmark: a 3,000-row XLSForm uploaded through the API converts in a worker, off the request path.

Starts `fieldcheck serve` (gunicorn + worker + embedded Redis, SQLite) in a temporary instance,
uploads the form, and prints: how fast the upload is answered, when the worker has converted it,
and how /healthz answered while the conversion ran (requests are not blocked).
Run:  python bench/bench_form_upload.py [--rows 3000]
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_form_conversion import build_xlsx  # noqa: E402

PASSWORD = "bench password 123"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        env.update(FIELDCHECK_INSTANCE=f"{tmp}/instance", FIELDCHECK_PASSWORD=PASSWORD)
        for command in (["db", "upgrade"], ["evaluations", "create", "bench", "--name", "Bench"],
                        ["users", "create", "sup", "--role", "supervisor", "--evaluation", "bench"]):
            subprocess.run([sys.executable, "-m", "server", *command], env=env, check=True,
                           capture_output=True)
        path = Path(tmp) / "bench_3000.xlsx"
        build_xlsx(path, args.rows)
        port = _free_port()
        server = subprocess.Popen([sys.executable, "-m", "server", "serve", "--port", str(port)], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            run(f"http://127.0.0.1:{port}", path, args.rows)
        finally:
            server.terminate()
            server.wait(60)


def run(base, path, rows):
    _wait_up(base)
    session = requests.Session()
    csrf = session.post(f"{base}/api/v1/session", json={"username": "sup", "password": PASSWORD}).json()
    started = time.perf_counter()
    with open(path, "rb") as fh:
        answer = session.post(f"{base}/api/v1/evaluations/bench/forms", files={"file": fh},
                              data={"publish": "yes"}, headers={"X-CSRF-Token": csrf["csrf_token"]})
    answered = time.perf_counter() - started
    assert answer.status_code == 202, answer.text
    status_url = base + answer.json()["status_url"]
    health, job = [], {}
    while time.perf_counter() - started < 300:
        t0 = time.perf_counter()
        requests.get(f"{base}/healthz", timeout=10).raise_for_status()
        health.append(time.perf_counter() - t0)
        job = session.get(status_url).json()
        if job["state"] in ("done", "failed"):
            break
        time.sleep(0.05)
    converted = time.perf_counter() - started
    print(f"XLSForm: {rows} survey rows, {path.stat().st_size / 1024:.0f} KiB")
    print(f"upload answered (202, job queued) in {answered * 1000:.0f} ms")
    print(f"worker finished the job ({job['state']}, version {job.get('result', {}).get('version')}) "
          f"{converted:.2f} s after the upload")
    print(f"/healthz during the conversion: {len(health)} requests, "
          f"median {statistics.median(health) * 1000:.1f} ms, max {max(health) * 1000:.1f} ms")


def _wait_up(base):
    for _ in range(300):
        try:
            if requests.get(f"{base}/healthz", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise SystemExit("the server did not start")


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


if __name__ == "__main__":
    main()

"""Benchmark: import households through the API (batches of 5,000) on a scratch PostgreSQL database.

Creates a scratch database (dropped at the end), migrates it, starts gunicorn on loopback, streams
generated households (four members each, valid ID numbers) to POST households/batch with two client
threads and a bounded queue, and prints records/s and the gunicorn workers' peak RSS.

Run: python bench/bench_import.py [--households 1000000] [--idempotency-keys]
     [--database postgresql://postgres@127.0.0.1:5432/postgres]
Target (docs/architecture.md): 1,000,000 households in <= 200 s, < 300 MB RSS per server process.
"""
import argparse
import os
import queue
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date

import orjson
import requests
from sqlalchemy import create_engine, text

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from server.households.idcard import make_number  # noqa: E402

SURNAMES, GIVEN = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗", "建国秀英桂兰志强海燕玉珍文华春梅德明丽娟永福淑芬"


def member_pool(size=2048, seed=1):
    """Precomputed member lists (head, spouse, two children), so generation costs almost nothing."""
    rng = random.Random(seed)

    def person(relation, born, sex, school="not_in_school"):
        return {"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN), "sex": sex,
                "relation": relation, "birth_date": born.isoformat(),
                "id_number": make_number("150782", born, rng.randrange(1000)), "health": "healthy",
                "labour": "ordinary", "school": school}
    pool = []
    for _ in range(size):
        born = date(rng.randrange(1950, 1985), rng.randrange(1, 13), rng.randrange(1, 29))
        kids = [person("son", date(rng.randrange(2003, 2015), rng.randrange(1, 13), 1), "male", "primary")
                for _ in range(2)]
        pool.append([person("head", born, "male"), person("spouse", born, "female"), *kids])
    return pool


# Parts every record shares: built once (the load generator runs on the same two cores as the server).
SHARED = {"province": "内蒙古自治区", "province_code": "150000", "county": "阿尔山市", "county_code": "150782",
          "phone": "13800000000", "registration_year": 2014, "poverty_attribute": "general",
          "main_cause": "illness", "other_causes": ["lack_skills"],
          "income": [{"year": 2018, "per_capita_net": 4200.5}, {"year": 2019, "per_capita_net": 5100.0}],
          "indicators": {"food": True, "clothing": True, "water": True, "education": True, "medical": True,
                         "housing": True},
          "helpers": [{"name": "李帮扶", "unit": "林业局", "level": "county", "start": "2016-03-01"}]}


def batches(total, size):
    """Yield JSON bodies of `size` households; 1,000 households per village, 100 villages per township."""
    pool = member_pool()
    for start in range(0, total, size):
        yield orjson.dumps([record(n, pool[n % len(pool)]) for n in range(start, min(total, start + size))])


def record(n, members):
    village = n // 1000
    township = f"150782{100 + village // 100:03d}"
    code = f"{township}{village % 100 + 200:03d}"
    exited = n % 3 != 0
    return {**SHARED, "archive_id": f"{code}{n % 1000:06d}", "township": f"第{village // 100}镇",
            "township_code": township, "village": f"第{village}村", "village_code": code,
            "head_name": members[0]["name"], "members": members,
            "status": "exited" if exited else "not_exited", "exit_year": 2018 if exited else None,
            "location": {"latitude": 47.17 + (n % 997) / 50000, "longitude": 119.94 + (n % 991) / 50000}}


class RssSampler(threading.Thread):
    """Samples VmRSS/VmHWM of the gunicorn master's children (the workers) every 100 ms."""

    def __init__(self, master_pid):
        super().__init__(daemon=True)
        self.master, self.peak_rss, self.peak_hwm, self.stop = master_pid, {}, {}, threading.Event()

    def run(self):
        while not self.stop.wait(0.1):
            for pid in self._workers():
                rss, hwm = _status_kb(pid)
                self.peak_rss[pid] = max(self.peak_rss.get(pid, 0), rss)
                self.peak_hwm[pid] = max(self.peak_hwm.get(pid, 0), hwm)

    def _workers(self):
        try:
            with open(f"/proc/{self.master}/task/{self.master}/children") as handle:
                return [int(p) for p in handle.read().split()] + [self.master]
        except OSError:
            return []


def _status_kb(pid):
    values = {"VmRSS:": 0, "VmHWM:": 0}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                parts = line.split()
                if parts and parts[0] in values:
                    values[parts[0]] = int(parts[1])
    except OSError:
        pass
    return values["VmRSS:"], values["VmHWM:"]


def scratch_database(admin_url):
    name = f"fc_hhimport_{uuid.uuid4().hex[:8]}"  # a prefix no other bench cleans up
    engine = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
                           isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    return engine, name, admin_url.rsplit("/", 1)[0] + "/" + name


def prepare_server_database(url, folder):
    """Migrate, then make an evaluation and an import token; returns the token."""
    from flask_migrate import upgrade

    from server import create_app
    from server.accounts import api_tokens, evaluations
    from server.infra.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": folder, "SECRET_KEY": "bench",
                      "DATA_KEY": "bench-data-key", "REDIS_URL": os.environ.get("REDIS_URL", "")})
    with app.app_context():
        upgrade(revision="heads")
        evaluation = evaluations.create_evaluation("bench", "Benchmark", actor="bench")
        _, secret = api_tokens.create_token(evaluation, "bench", "import", actor="bench")
        db.session.commit()
        db.engine.dispose()
    return secret


def start_gunicorn(url, folder, workers):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "DATABASE_URL": url, "FIELDCHECK_INSTANCE": folder, "SECRET_KEY": "bench",
           "FIELDCHECK_DATA_KEY": "bench-data-key"}
    command = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
               "--timeout", "300", "--log-level", "warning", "server:create_app()"]
    process = subprocess.Popen(command, env=env)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            requests.get(f"{base}/healthz", timeout=10)
            return process, base
        except requests.RequestException:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not start")


def post_all(base, secret, total, size, clients, keys=False):
    """Stream generated batches through a bounded queue to `clients` posting threads.

    With `keys`, every batch carries an Idempotency-Key (as an archive system that retries would send).
    """
    bodies, failures = queue.Queue(maxsize=clients * 2), []
    url = f"{base}/api/v1/evaluations/bench/households/batch"
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}

    def poster():
        with requests.Session() as session:
            while (item := bodies.get()) is not None:
                number, body = item
                key = {"Idempotency-Key": f"bench-{number}"} if keys else {}
                response = session.post(url, data=body, headers={**headers, **key}, timeout=600)
                if response.status_code != 200:
                    failures.append((response.status_code, response.text[:500]))
    threads = [threading.Thread(target=poster) for _ in range(clients)]
    for thread in threads:
        thread.start()
    started = time.perf_counter()
    for number, body in enumerate(batches(total, size), 1):
        bodies.put((number, body))
        if number % 40 == 0:
            done = number * size
            rate = done / (time.perf_counter() - started)
            print(f"  queued {done:,} households, {rate:,.0f}/s", flush=True)
    for _ in threads:
        bodies.put(None)
    for thread in threads:
        thread.join()
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--clients", type=int, default=2, help="concurrent posting threads")
    parser.add_argument("--idempotency-keys", action="store_true", help="send an Idempotency-Key per batch")
    parser.add_argument("--database", default=os.environ.get("BENCH_DATABASE_URL",
                                                             "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so `finally` drops the scratch database
    admin, name, url = scratch_database(args.database)
    process = None
    try:
        with tempfile.TemporaryDirectory() as folder:
            secret = prepare_server_database(url, folder)
            process, base = start_gunicorn(url, folder, args.workers)
            sampler = RssSampler(process.pid)
            sampler.start()
            started = time.perf_counter()
            failures = post_all(base, secret, args.households, args.batch, args.clients,
                                args.idempotency_keys)
            elapsed = time.perf_counter() - started
            sampler.stop.set()
            report(args, elapsed, failures, sampler, url)
    finally:
        if process is not None:
            process.terminate()
            process.wait(30)
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def report(args, elapsed, failures, sampler, url):
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT count(*) FROM household")).scalar()
        tokens = connection.execute(text("SELECT count(*) FROM household_token")).scalar()
    engine.dispose()
    workers = {pid: kb for pid, kb in sampler.peak_hwm.items() if pid != sampler.master}
    print(f"households: {args.households} in batches of {args.batch}, {args.workers} gunicorn workers, "
          f"{args.clients} clients" + (", an Idempotency-Key per batch" if args.idempotency_keys else ""))
    print(f"stored: {stored} households, {tokens} QR tokens; failed batches: {len(failures)}")
    for failure in failures[:3]:
        print("  failure:", failure)
    print(f"total: {elapsed:.1f} s, {args.households / elapsed:,.0f} records/s")
    print("peak RSS per worker (VmHWM): " + ", ".join(f"{kb / 1024:.0f} MB" for kb in workers.values()))
    print(f"peak RSS, largest server process: {max(sampler.peak_hwm.values(), default=0) / 1024:.0f} MB")


if __name__ == "__main__":
    main()

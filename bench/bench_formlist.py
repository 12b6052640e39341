"""Get Blank Form for an enumerator with 20 forms and 5,000 assigned households, over HTTP.

Creates a scratch PostgreSQL database (dropped at the end), migrates it, publishes 20 forms that each
read the register file (`select_one_from_file fc_households.csv`), registers 5,000 households in one
village and assigns that village to an enumerator from another county (then ANALYZE, as autovacuum
would after an import). Then starts gunicorn
(server/web/gunicorn_conf.py) and, as Collect does, asks for formList and a form's manifest, and downloads
the register CSV, each --rounds times; prints p50 and p99 of each.

Run: python bench/bench_formlist.py [--rounds 50] [--households 5000]
Target (docs/architecture.md): formList + manifest <= 20 ms p50.
"""
import argparse
import http.client
import os
import statistics
import subprocess
import sys
import time
from urllib.parse import urlsplit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.results import record  # noqa: E402
from bench.scratch import ADMIN_URL, scratch, server_environment, wait_ready  # noqa: E402

FORMS = 20
FORM = """| survey |
| | type | name | label |
| | select_one_from_file fc_households.csv | household | 户 Household |
| | text | notes | 备注 Notes |
| settings |
| | form_id | version | form_title |
| | {form_id} | 1 | 问卷 {form_id} |
"""


def main():
    args = _arguments()
    with scratch(args.admin_url) as (database_url, folder):
        env = server_environment(database_url, folder, args.redis_url, args.port)
        subprocess.run([sys.executable, "-m", "server", "db", "upgrade"], env=env, check=True, cwd=ROOT,
                       capture_output=True)
        started = time.perf_counter()
        base = _provision(env, args.households)
        print(f"provisioned {FORMS} forms and {args.households} households in "
              f"{time.perf_counter() - started:.1f} s")
        _serve_and_measure(env, base, args.rounds, args.port)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--households", type=int, default=5000)
    return parser.parse_args()


def _provision(env, households):
    """Forms, households and the assignment, through the domain code; returns the Collect URL {S}."""
    code = f"""
import os
from server import create_app
from server.accounts import evaluations, users as accounts
from server.questionnaires import forms_service
from server.infra.extensions import db
from server.households import assignments, service
from testkit.household_factories import make_record, village_code
app = create_app()
with app.app_context():
    e = evaluations.create_evaluation("bench", "Bench")
    enumerator, token = accounts.create_enumerator(e, "enum1", county="外县", township="t", village="v",
                                                   county_code="620100")
    for i in range({FORMS}):
        forms_service.publish_form(e, {FORM!r}.format(form_id=f"form{{i:02d}}").encode(), "form.md")
    for start in range(0, {households}, 1000):
        service.upsert_batch(e, [make_record(n, 1) for n in range(start, min({households}, start + 1000))],
                             actor="bench")
    assignments.assign(e, enumerator, "bench", village_code=village_code(1))
    db.session.commit()
    # Statistics, as autovacuum gathers them within a minute of an import: without them PostgreSQL
    # plans the register's join as 5,000 index probes.
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("ANALYZE")
    print(os.environ["PUBLIC_URL"] + "/key/" + token + "/bench")
"""
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True,
                         text=True)
    return out.stdout.strip().splitlines()[-1]


def _serve_and_measure(env, base, rounds, port):
    command = [sys.executable, "-m", "gunicorn", "-c", "python:server.web.gunicorn_conf",
               "server:create_app()"]
    server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_ready(port, server)
        path = urlsplit(base).path
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        targets = {"formList": f"{path}/formList", "manifest": f"{path}/forms/form07/manifest",
                   "register CSV": f"{path}/forms/form07/attachments/fc_households.csv"}
        for name, url in targets.items():
            size, times = _time(connection, url, rounds)
            print(f"{name}: {size} bytes, p50 {_pct(times, 50):.1f} ms, p99 {_pct(times, 99):.1f} ms "
                  f"({rounds} requests)")
            record("formlist", f"{name} p99", _pct(times, 99), "ms", better="lower")
    finally:
        server.terminate()
        server.wait(30)


def _time(connection, url, rounds):
    headers = {"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android/v2025.2.0 bench"}
    times, size = [], 0
    for i in range(rounds + 3):
        began = time.perf_counter()
        connection.request("GET", url, headers=headers)
        answer = connection.getresponse()
        body = answer.read()
        if answer.status != 200:
            raise SystemExit(f"GET {url}: {answer.status} {body[:300]!r}")
        if i >= 3:  # the first requests warm each worker's caches
            times.append((time.perf_counter() - began) * 1000)
        size = len(body)
    return size, sorted(times)


def _pct(values, p):
    return values[min(len(values) - 1, int(len(values) * p / 100))] if p != 50 else statistics.median(values)


if __name__ == "__main__":
    main()

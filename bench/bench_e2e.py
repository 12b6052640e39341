"""End to end: Collect-like ingest and the worker pipeline sharing the machine, on PostgreSQL and Redis.

Creates a scratch PostgreSQL database (dropped at the end) with the shipped household interview form,
30 enumerators from another county, N households with cards in villages of 1,000 and an assignment of
each household; then starts gunicorn (server/web/gunicorn_conf.py) and ONE `fieldcheck worker submissions`
process. 16 clients (4 processes x 4 threads) send N realistic interviews as Collect does (HEAD, then
POST of the instance XML and one 200 KB photo), each with its enumerator's token URL. Prints accepted
submissions/s, then submissions fully processed (parse + every rule + reconciliation + figures) per
second from the first POST to the last one processed.

With --chain a second worker on the `chain` queue appends the evidence chain while it runs (as in
production); without it the chain's sweeps wait in their queue: the two runs side by side are the
chain's cost (issue 21: within 5 %). It then also prints when the chain covered every interview.

Run: python bench/bench_e2e.py [--submissions 6000] [--chain]
Target (docs/architecture.md): >= 180 submissions/s end to end on this 2-core machine.
"""
import argparse
import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time
import uuid
from datetime import datetime, timedelta

from sqlalchemy import create_engine, func, select

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.bench_ingest import PHOTO, _multipart, _Wire  # noqa: E402
from bench.results import record  # noqa: E402
from bench.scratch import ADMIN_URL, scratch, server_environment, wait_ready  # noqa: E402

ENUMERATORS, PER_DAY, CLIENT_PROCESSES, CLIENT_THREADS = 30, 8, 4, 4


def main():
    args = _arguments()
    with scratch(args.admin_url) as (url, folder):
        env = server_environment(url, folder, args.redis_url, args.port)
        os.environ.update(env)
        started = time.perf_counter()
        work = _provision(args.submissions)
        print(f"provisioned {args.submissions} households and interviews in "
              f"{time.perf_counter() - started:.1f} s")
        _run(args, env, url, work)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--submissions", type=int, default=6000)
    parser.add_argument("--chain", action="store_true", help="a chain worker runs beside the pipeline's")
    return parser.parse_args()


def _provision(count):
    """Schema, form, enumerators, households, assignments; returns [(collect URL, instance XML)]."""
    from flask_migrate import upgrade
    from redis import Redis
    from sqlalchemy import insert

    from server import create_app
    from server.infra.extensions import db
    from server.models import Assignment
    from testkit.factories import make_enumerator, make_evaluation
    from testkit.recusal_factories import make_households, publish_interview_form

    Redis.from_url(os.environ["REDIS_URL"]).flushdb()
    app = create_app()
    with app.app_context():
        upgrade(revision="heads")
        evaluation = make_evaluation("bench")
        publish_interview_form(evaluation)
        enumerators = [make_enumerator(evaluation, f"enum{i:03d}", display_name=f"调查员{i}", county="外县",
                                       county_code="620100") for i in range(ENUMERATORS)]
        households = []
        for start in range(0, count, 1000):
            households += make_households(evaluation, min(1000, count - start), village=1 + start // 1000,
                                          start=start)
        db.session.execute(insert(Assignment), [
            {"evaluation_id": evaluation.id, "enumerator_id": enumerators[i % ENUMERATORS][0].id,
             "household_id": h.id} for i, (h, _) in enumerate(households)])
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.exec_driver_sql("ANALYZE")  # as autovacuum does after a register import
        base = os.environ["PUBLIC_URL"]
        rng = random.Random(7)
        work = [(f"{base}/key/{enumerators[i % ENUMERATORS][1]}/bench",
                 _interview(rng, i, enumerators[i % ENUMERATORS][0], *households[i])) for i in range(count)]
        db.session.remove()
        db.engine.dispose()
    return work


def _interview(rng, i, enumerator, household, token):
    """Instance XML of a realistic interview (as bench_worker makes them), with one photo attached."""
    from testkit.recusal_factories import interview_fields, interview_xml

    slot = i // ENUMERATORS
    begin = datetime(2025, 5, 1 + slot // PER_DAY, 8, 30) + timedelta(minutes=70 * (slot % PER_DAY))
    jitter = rng.uniform(-0.002, 0.002)
    present = ("respondent", "village_cadre") if rng.random() < 0.03 else ("respondent", "hh_member")
    fields = interview_fields(token, start=begin.isoformat() + "+08:00", minutes=rng.randrange(12, 70),
                              gps=f"{household.latitude + jitter} {household.longitude - jitter} 1200 8",
                              present=present, seed=i, enumerator=enumerator.username,
                              photos=("house.jpg", "inside.jpg", "sign.jpg"))
    return interview_xml(fields)[1]


def _run(args, env, url, work):
    gunicorn = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:server.web.gunicorn_conf",
                                 "server:create_app()"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
    workers = [subprocess.Popen([sys.executable, "-m", "server", "worker", queue, "--no-relay"],
                                env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
               for queue in ("submissions", "chain")[:2 if args.chain else 1]]
    try:
        wait_ready(args.port, gunicorn)
        began = time.time()
        with multiprocessing.Pool(CLIENT_PROCESSES) as pool:
            shares = [work[i::CLIENT_PROCESSES] for i in range(CLIENT_PROCESSES)]
            results = pool.map(_client_process, shares)
        ingested = time.time() - began
        accepted = sum(r[0] for r in results)
        print(f"accepted: {accepted} of {len(work)} in {ingested:.1f} s ({accepted / ingested:.1f}/s), "
              f"failed: {sum(r[1] for r in results)}")
        record("e2e", "accepted", accepted / ingested, "/s", target=280)
        _report_processing(url, len(work), began)
        if args.chain:
            _report_chain(url, len(work), began)
    finally:
        for process in (gunicorn, *workers):
            process.terminate()
            process.wait(60)


def _client_process(share):
    out, threads = [], []
    for i in range(CLIENT_THREADS):
        thread = threading.Thread(target=lambda part: out.append(_client(part)),
                                  args=(share[i::CLIENT_THREADS],))
        thread.start()
        threads.append(thread)
    for thread in threads:
        thread.join()
    return sum(r[0] for r in out), sum(r[1] for r in out)


def _client(part):
    from urllib.parse import urlsplit

    accepted = failed = 0
    wires = {}
    for server_url, xml in part:
        parts = urlsplit(server_url)
        wire = wires.setdefault(parts.path, _Wire(parts.hostname, parts.port))
        path = parts.path + "/submission?deviceID=collect:bench0000000000"
        headers = {"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android/v2025.2.0 bench"}
        body, content_type = _multipart(xml, [("house.jpg", uuid.uuid4().bytes + PHOTO[16:])])
        wire.request("HEAD", path, headers)
        if wire.request("POST", path, {**headers, "Content-Type": content_type}, body) == 201:
            accepted += 1
        else:
            failed += 1
    return accepted, failed


def _report_processing(url, count, began, limit=600):
    from server.models import OutboxEvent, Submission

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    deadline = time.time() + limit
    with engine.connect() as connection:
        while time.time() < deadline:
            done = connection.execute(select(func.count()).select_from(Submission)
                                      .where(Submission.processing == "processed")).scalar()
            if done >= count:
                break
            connection.commit()
            time.sleep(0.5)
        last = connection.execute(select(func.max(Submission.processed_at))).scalar()
        failed = connection.execute(select(func.count()).select_from(OutboxEvent)
                                    .where(OutboxEvent.state == "failed")).scalar()
    engine.dispose()
    span = last.timestamp() - began
    print(f"processed: {done} of {count}, failed events: {failed}; first POST to last processed "
          f"{span:.1f} s -> {done / span:.1f} submissions/s end to end")
    record("e2e", "processed, end to end", done / span, "/s", target=280)


def _report_chain(url, count, began, limit=300):
    from server.models import ChainEntry

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    deadline = time.time() + limit
    with engine.connect() as connection:
        while (chained := connection.execute(select(func.count()).select_from(ChainEntry)).scalar()) < count:
            if time.time() > deadline:
                break
            connection.commit()
            time.sleep(0.5)
        last = connection.execute(select(func.max(ChainEntry.chained_at))).scalar()
    engine.dispose()
    print(f"chained: {chained} of {count}; first POST to last chained {last.timestamp() - began:.1f} s")


if __name__ == "__main__":
    main()

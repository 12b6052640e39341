"""Worker benchmark: parse + every rule, one worker process, real PostgreSQL and Redis.

Fills a scratch PostgreSQL database (created, then dropped) with an evaluation, the shipped
household interview form, households with cards, enumerators with assignments, and N realistic
submissions inserted directly with their `submission.received` events (this measures the worker,
not ingest); then runs ONE `python -m server worker submissions --burst` and prints submissions/s.

Run: python bench/bench_worker.py [N] [--keep]   (defaults: N=3000;
     BENCH_DATABASE_URL=postgresql://postgres@127.0.0.1:5432, BENCH_REDIS_URL=redis://127.0.0.1:6379/13)
Target (architecture.md): >= 300 submissions/s per worker process.
"""
import hashlib
import os
import random
import subprocess
import sys
import time
import uuid
from datetime import datetime, timedelta

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from sqlalchemy import create_engine, func, insert, select, text  # noqa: E402

from bench.results import record  # noqa: E402

SERVER = os.environ.get("BENCH_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432")
REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
ENUMERATORS, PER_DAY = 30, 8


def admin_engine():
    return create_engine(SERVER.replace("postgresql://", "postgresql+psycopg://", 1),
                         isolation_level="AUTOCOMMIT")


def make_app(url, folder):
    from server import create_app
    return create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": REDIS, "SECRET_KEY": "bench",
                       "DATA_KEY": "bench", "INSTANCE_PATH": folder, "MEDIA_ROOT": folder + "/media",
                       "PUBLIC_URL": "http://fieldcheck.bench"})


def fill(count):
    """Everything the worker needs; returns the evaluation id."""
    from flask_migrate import upgrade
    from server.infra.extensions import db
    from testkit.factories import make_enumerator, make_evaluation
    from testkit.recusal_factories import make_households, publish_interview_form

    upgrade(revision="heads")
    evaluation = make_evaluation("bench")
    publish_interview_form(evaluation)
    enumerators = [make_enumerator(evaluation, f"enum{i:03d}", display_name=f"调查员{i}", county="外县",
                                   county_code="620100")[0] for i in range(ENUMERATORS)]
    households = []
    for start in range(0, count, 1000):
        village = 1 + start // 1000
        households += make_households(evaluation, min(1000, count - start), village=village, start=start)
    _assign(evaluation, enumerators, households)
    _submissions(evaluation, enumerators, households, count)
    db.session.commit()
    return evaluation.id


def _assign(evaluation, enumerators, households):
    from server.infra.extensions import db
    from server.models import Assignment
    rows = [{"evaluation_id": evaluation.id, "enumerator_id": enumerators[i % len(enumerators)].id,
             "household_id": h.id} for i, (h, _) in enumerate(households)]
    db.session.execute(insert(Assignment), rows)


def _submissions(evaluation, enumerators, households, count):
    from server.infra.extensions import db
    from server.models import Attachment, FormVersion, OutboxEvent, Submission
    from testkit.recusal_factories import interview_fields, interview_xml
    version_id = db.session.execute(select(FormVersion.id)).scalar()
    rng = random.Random(7)
    for chunk in range(0, count, 500):
        subs = [_one(rng, i, evaluation, enumerators, households, version_id, interview_fields, interview_xml)
                for i in range(chunk, min(count, chunk + 500))]
        ids = db.session.execute(insert(Submission).returning(Submission.id), subs).scalars().all()
        db.session.execute(insert(Attachment), [
            {"submission_id": sid, "name": name, "content_type": "image/jpeg", "size": 200_000,
             "sha256": "0" * 64, "path": f"bench/{sid}/{name}"}
            for sid in ids for name in ("house.jpg", "inside.jpg", "sign.jpg")])
        db.session.execute(insert(OutboxEvent), [
            {"name": "submission.received", "queue": "submissions", "payload": {"submission_id": sid},
             "evaluation_id": evaluation.id, "state": "pending", "attempts": 0} for sid in ids])


def _one(rng, i, evaluation, enumerators, households, version_id, interview_fields, interview_xml):
    household, token = households[i % len(households)]
    enumerator = enumerators[i % len(enumerators)]
    slot = i // len(enumerators)
    day, order = 1 + slot // PER_DAY, slot % PER_DAY
    begin = datetime(2025, 5, day, 8, 30) + timedelta(minutes=70 * order + rng.randrange(0, 10))
    jitter = rng.uniform(-0.002, 0.002)
    present = ("respondent", "village_cadre") if rng.random() < 0.03 else ("respondent", "hh_member")
    fields = interview_fields(token, start=begin.isoformat() + "+08:00", minutes=rng.randrange(12, 70),
                              gps=f"{household.latitude + jitter} {household.longitude - jitter} 1200 "
                                  f"{rng.randrange(3, 60)}",
                              present=present, seed=i, enumerator=enumerator.username,
                              photos=("house.jpg", "inside.jpg", "sign.jpg"))
    instance_id, xml = interview_xml(fields, f"uuid:{uuid.UUID(int=rng.getrandbits(128))}")
    return {"evaluation_id": evaluation.id, "form_version_id": version_id, "enumerator_id": enumerator.id,
            "instance_id": instance_id, "root_instance_id": instance_id, "xml": xml.decode(),
            "xml_sha256": hashlib.sha256(xml).hexdigest(), "device_id": "collect:bench"}


def run_worker(url):
    env = {**os.environ, "DATABASE_URL": url, "REDIS_URL": REDIS, "SECRET_KEY": "bench",
           "FIELDCHECK_DATA_KEY": "bench", "PUBLIC_URL": "http://fieldcheck.bench"}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "server", "worker", "submissions", "--burst", "--no-relay"],
                   env=env, check=True)
    return time.perf_counter() - started


def report(count, wall):
    from server.infra.extensions import db
    from server.models import CheckRun, OutboxEvent, RuleFinding, Submission
    db.session.rollback()
    done = db.session.execute(select(func.count()).where(OutboxEvent.state == "done")).scalar()
    processed = db.session.execute(select(func.count()).where(Submission.processing == "processed")).scalar()
    runs = db.session.execute(select(func.count()).select_from(CheckRun)).scalar()
    first, last = db.session.execute(select(func.min(Submission.processed_at),
                                            func.max(Submission.processed_at))).one()
    found = db.session.execute(select(RuleFinding.code, func.count()).where(RuleFinding.outcome == "found")
                               .group_by(RuleFinding.code).order_by(RuleFinding.code)).all()
    span = (last - first).total_seconds() if first and last else float("nan")
    print(f"submissions: {count}; events done: {done}; processed: {processed}; check runs: {runs}")
    print(f"worker wall time (process start to exit): {wall:.2f} s -> {count / wall:.0f} submissions/s")
    print(f"first to last processed_at: {span:.2f} s -> {count / span:.0f} submissions/s")
    record("worker", "one process, over its life", count / wall, "/s", target=800)
    record("worker", "one process, steady", count / span, "/s")
    print("findings: " + ", ".join(f"{code} {n}" for code, n in found))


def main():
    count = int(next((a for a in sys.argv[1:] if a.isdigit()), 3000))
    name = f"fc_bench_{uuid.uuid4().hex[:8]}"
    admin = admin_engine()
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url, folder = f"{SERVER}/{name}", f"/tmp/{name}"
    try:
        app = make_app(url, folder)
        with app.app_context():
            from redis import Redis
            from server.pipeline.outbox import wake
            Redis.from_url(REDIS).flushdb()
            started = time.perf_counter()
            fill(count)
            print(f"filled {count} submissions in {time.perf_counter() - started:.1f} s")
            wake(["submissions"], force=True)
            wall = run_worker(url)
            report(count, wall)
            from server.infra.extensions import db
            db.session.remove()
            db.engine.dispose()
    finally:
        if "--keep" not in sys.argv:
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()

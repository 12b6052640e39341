"""Benchmark: read the figures for every village and every county over 1,000,000 interviews.

Creates a scratch PostgreSQL database (dropped at the end), builds the schema from the models, bulk-loads
1,000,000 interviews' figure contributions over 3 counties and 90 villages with COPY (the rows the worker
writes; no HTTP), fills the per-village aggregates from them (what the worker's deltas sum to), then times
reading the figures: the domain call and GET /api/v1/evaluations/<code>/figures, village and county level.

Run: python bench/bench_figures.py [--interviews 1000000] [--reads 25]
     [--database postgresql://postgres@127.0.0.1:5432/postgres]
Target (docs/architecture.md): <= 200 ms for the figures of every village and county.
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid

from sqlalchemy import create_engine, text

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from server.models.counters import COUNTERS  # noqa: E402

COUNTIES, VILLAGES_PER_COUNTY = 3, 30


def village_codes():
    """3 counties × 3 townships × 10 villages, with valid-looking 6/9/12-digit codes."""
    codes = []
    for c in range(COUNTIES):
        county = f"1507{82 + c:02d}"
        for v in range(VILLAGES_PER_COUNTY):
            township = f"{county}{101 + v // 10:03d}"
            codes.append((county, township, f"{township}{201 + v % 10:03d}"))
    return codes


def contribution(rng):
    """One interview's counters, with the proportions of a real exit inspection sample."""
    row = dict.fromkeys(COUNTERS, 0)
    persons = rng.randint(1, 6)
    row.update(interviews=1, households=1, persons=persons)
    kind = rng.random()
    if kind < 0.6:   # exited
        row.update(registered_households=1, registered_persons=persons, exited_households=1,
                   exited_persons=persons)
        if rng.random() < 0.01:
            row.update(wrongly_exited_households=1, wrongly_exited_persons=persons)
    elif kind < 0.75:  # poor
        row.update(registered_households=1, registered_persons=persons)
    else:
        row.update(nonregistered_households=1, nonregistered_persons=persons)
        if rng.random() < 0.01:
            row.update(missed_households=1, missed_persons=persons)
    if kind < 0.75 and rng.random() < 0.005:
        row.update(wrongly_registered_households=1, wrongly_registered_persons=persons)
    row.update(endorsement_answered=1, endorsed=int(rng.random() < 0.95))
    if kind < 0.75:
        row.update(work_team_answered=1, work_team_satisfied=int(rng.random() < 0.93),
                   helper_answered=1, helper_satisfied=int(rng.random() < 0.94))
    return row


def load(engine, evaluation_id, submission_id, count):
    """COPY `count` contributions (foreign keys off for the load: there are no submission rows)."""
    rng, villages = random.Random(8), village_codes()
    columns = ["evaluation_id", "root_instance_id", "submission_id", "county_code", "township_code",
               "village_code", "counts", "updated_at", *COUNTERS]
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")
            with cursor.copy(f"COPY figure_contribution ({', '.join(columns)}) FROM STDIN") as copy:
                for i in range(count):
                    county, township, village = villages[i % len(villages)]
                    c = contribution(rng)
                    copy.write_row([evaluation_id, f"uuid:{i:012d}", submission_id, county, township, village,
                                    True, "2021-05-01T00:00:00+00:00", *(c[k] for k in COUNTERS)])
            sums = ", ".join(f"sum({k})" for k in COUNTERS)
            cursor.execute(f"INSERT INTO figure_area (evaluation_id, village_code, county_code, "
                           f"township_code, county, township, village, {', '.join(COUNTERS)}) "
                           f"SELECT evaluation_id, village_code, "
                           f"min(county_code), min(township_code), '县' || min(county_code), '乡' || "
                           f"min(township_code), '村' || village_code, {sums} FROM figure_contribution "
                           f"GROUP BY evaluation_id, village_code")
            cursor.execute("ANALYZE figure_contribution; ANALYZE figure_area")
        raw.commit()
    finally:
        raw.close()


def timed(function, reads):
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def run(url, interviews, reads):
    from server import create_app
    from server.accounts import api_tokens
    from server.infra.extensions import db
    from server.figures import read
    from server.models import Evaluation

    folder = tempfile.mkdtemp(prefix="fc-bench-figures-")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": "redis://127.0.0.1:6379/12",
                      "INSTANCE_PATH": folder, "SECRET_KEY": "bench", "DATA_KEY": "bench"})
    with app.app_context():
        db.create_all()
        evaluation = Evaluation(code="bench", name="bench", settings={})
        db.session.add(evaluation)
        db.session.commit()
        _, token = api_tokens.create_token(evaluation, "bench", "read", actor="bench")
        db.session.commit()
        started = time.perf_counter()
        load(db.engine, evaluation.id, 1, interviews)
        villages = COUNTIES * VILLAGES_PER_COUNTY
        print(f"loaded {interviews:,} contributions over {COUNTIES} counties / {villages} "
              f"villages in {time.perf_counter() - started:.1f} s")

        def both_levels():
            villages = read.figures(evaluation, "village")
            counties = read.figures(evaluation, "county")
            assert len(villages["areas"]) == 90 and len(counties["areas"]) == 3
            assert sum(a["interviews"] for a in counties["areas"]) == interviews
            db.session.rollback()

        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def over_http():
            for level in ("village", "county"):
                answer = client.get(f"/api/v1/evaluations/bench/figures?level={level}", headers=headers)
                assert answer.status_code == 200, answer.json

        both_levels()
        over_http()  # warm up
        median, worst = timed(both_levels, reads)
        print(f"figures, every village (90) + every county (3), domain read: median {median:.1f} ms, "
              f"max {worst:.1f} ms over {reads} reads")
        median, worst = timed(over_http, reads)
        print(f"figures, every village + every county, 2 GETs over the API: median {median:.1f} ms, "
              f"max {worst:.1f} ms over {reads} reads")
        print(f"target <= 200 ms: {'met' if median <= 200 else 'NOT met'}")
        db.session.remove()
        db.engine.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=25)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    name = f"fc_bench_figures_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.database.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    try:
        run(args.database.rsplit("/", 1)[0] + "/" + name, args.interviews, args.reads)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


if __name__ == "__main__":
    main()

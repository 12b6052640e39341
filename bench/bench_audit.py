"""Benchmark: the audit log page and GET /api/v1/evaluations/<code>/audit over 1,000,000 entries.

Creates a scratch PostgreSQL database (bench/scratch.py; dropped at the end), builds the schema from the
models, generates 1,000,000 audit entries of the evaluation and 1,000,000 of another one in SQL (60 actors,
one of them rare; actions of every family, `member.*` one in a hundred; two years of days), then times the
page in the app (Flask's test client: server time, no network), signed in as the evaluation's admin: the
first page, page 500 by keyset, filtered by a frequent and by a rare actor, by an action family, by a
week, all filters together, and the API's first page.

Run: flock /tmp/fieldcheck-bench.lock python bench/bench_audit.py [--entries 1000000] [--reads 30]
Target (as for the other dashboard pages, issue 15): each page <= 300 ms server time (p95).
"""
import argparse
import os
import re
import statistics
import sys
import time
from urllib.parse import urlencode

from sqlalchemy import text

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from bench.scratch import scratch  # noqa: E402

TARGET_MS = 300
ACTIONS = ("submission.review.clear", "submission.comment", "households.upsert", "enumerator.update",
           "assignment.override", "session.sign_in", "form.publish", "sample.draw", "classification.confirm",
           "pipeline.recheck")


def generate(db, evaluation_id, other_id, count):
    """Entries as audit.record leaves them (the hash chain is not recomputed: no page reads it)."""
    actions = "ARRAY[" + ", ".join(f"'{a}'" for a in ACTIONS) + "]"
    for offset, evaluation in ((0, evaluation_id), (count, other_id)):
        db.session.execute(text(f"""
            INSERT INTO audit_log (id, at, evaluation_id, actor, action, target, details, prev_hash, hash)
            SELECT 1000 + i, timestamptz '2024-01-01 00:00+08' + (i - {offset}) * interval '63 seconds',
                   {evaluation},
                   CASE WHEN i % 997 = 0 THEN 'user:rare' WHEN i % 7 = 0 THEN 'cli'
                        ELSE 'user:u' || (i % 59) END,
                   CASE WHEN i % 100 = 0 THEN 'member.role' ELSE ({actions})[1 + i % {len(ACTIONS)}] END,
                   'submission:uuid-' || i, '{{"n": 1}}',
                   md5('p' || i) || md5('q' || i), md5('h' || i) || md5('g' || i)
            FROM generate_series({offset + 1}, {offset + count}) AS i"""))
        db.session.commit()
    db.session.execute(text("ANALYZE audit_log"))
    db.session.commit()


def timed(client, url, reads):
    times = []
    for _ in range(reads):
        started = time.perf_counter()
        answer = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert answer.status_code == 200, (url, answer.status_code, answer.get_data(as_text=True)[:500])
    times.sort()
    return statistics.median(times), times[max(0, int(round(0.95 * len(times))) - 1)]


def run(url, folder, entries, reads, redis_url):
    from server import create_app
    from server.accounts import evaluations, users
    from server.infra.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": redis_url,
                      "INSTANCE_PATH": f"{folder}/instance", "MEDIA_ROOT": f"{folder}/media",
                      "SECRET_KEY": "bench", "DATA_KEY": "bench"})
    with app.app_context():
        db.create_all()
        evaluation = evaluations.create_evaluation("bench", "基准 bench", actor="bench")
        other = evaluations.create_evaluation("other", "另一个 other", actor="bench")
        users.create_user("boss", "bench password", "admin", evaluation, actor="bench")
        db.session.commit()
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('audit_log', 'id'), :n)"),
                           {"n": 10 * entries})
        started = time.perf_counter()
        generate(db, evaluation.id, other.id, entries)
        print(f"generated {2 * entries:,} audit entries (half of them another evaluation's) in "
              f"{time.perf_counter() - started:.0f} s")
        row = db.session.execute(text(
            "SELECT at, id FROM audit_log WHERE evaluation_id = :e ORDER BY at DESC, id DESC OFFSET 24949 "
            "LIMIT 1"), {"e": evaluation.id}).one()
        page_500 = urlencode({"after": f"{row.at.isoformat()}~{row.id}"})
        db.session.remove()

        client = app.test_client()
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True))
        assert client.post("/login", data={"username": "boss", "password": "bench password",
                                           "csrf_token": token.group(1)}).status_code == 302
        base = "/dashboard/bench/audit"
        pages = [
            ("audit log, first page", base),
            ("audit log, page 500 by keyset", f"{base}?{page_500}"),
            ("audit log, one frequent actor", f"{base}?actor=u7"),
            ("audit log, one rare actor (0.1%)", f"{base}?actor=rare"),
            ("audit log, an action family (member, 1%)", f"{base}?action=member"),
            ("audit log, one week", f"{base}?since=2024-12-01&until=2024-12-07"),
            ("audit log, actor + family + week", f"{base}?actor=u7&action=submission&since=2024-12-01"
                                                 "&until=2024-12-07"),
            ("API GET .../audit, first page", "/api/v1/evaluations/bench/audit"),
        ]
        met = True
        for name, target in pages:
            timed(client, target, 2)  # warm the caches
            median, p95 = timed(client, target, reads)
            met &= p95 <= TARGET_MS
            print(f"{name:45s} median {median:7.1f} ms   p95 {p95:7.1f} ms")
        print(f"target <= {TARGET_MS} ms (p95): {'met' if met else 'NOT met'}")
        db.session.remove()
        db.engine.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--reads", type=int, default=30)
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    args = parser.parse_args()
    with scratch() as (url, folder):
        run(url, folder, args.entries, args.reads, args.redis)


if __name__ == "__main__":
    main()

"""Benchmark: the archive feed (GET /api/v1/evaluations/<code>/changes) read from start to end.

Creates a scratch PostgreSQL database (bench/scratch.py; dropped at the end), builds the schema from the
models and generates checked interviews in SQL as the worker leaves them: a full answers document
(parsed from a complete interview), three attachments, the reconciliation with its comparisons, 5% with
a finding and a review decision. Then a read token pages through the whole feed in the app (Flask's test
client: server time and JSON, no network) and prints interviews per second and the page times.

Run: flock /tmp/fieldcheck-bench.lock python bench/bench_feed.py [--interviews 200000] [--limit 1000]
Target (issue 21): the feed serves >= 5,000 interviews/s.
"""
import argparse
import json
import os
import statistics
import sys
import time

from sqlalchemy import text

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from bench.bench_dashboard import generate  # noqa: E402  (households, interviews, facts, runs, findings)
from bench.scratch import scratch, scratch_app, shipped_evaluation  # noqa: E402

TARGET = 5000
COMPARISONS = [{"item": item, "record": 4, "answer": 4, "tolerance": None, "verdict": "agrees"}
               for item in ("household_type", "hh_size", "reg_year", "income_per_capita", "helper",
                            "two_worries", "water", "housing", "schooling", "medical")]


def feed_rows(db, evaluation_id, count, answers):
    """What the feed shows beyond bench_dashboard's rows: answers, marks, attachments, reconciliation."""
    statements = [
        (f"UPDATE submission SET answers = CAST(:answers AS json), feed_mark = id / 500, "
         f"processed_at = received_at WHERE evaluation_id = {evaluation_id}",
         {"answers": json.dumps(answers)}),
        (f"""INSERT INTO attachment (submission_id, name, content_type, size, sha256, path, received_at)
             SELECT i, n.name, 'image/jpeg', 180000, md5(i::text || n.name) || md5(n.name || i::text),
                    'bench/' || i || '/' || n.name, now()
             FROM generate_series(1, {count}) AS i,
                  (VALUES ('house.jpg'), ('inside.jpg'), ('sign.jpg')) AS n(name)""", {}),
        (f"""INSERT INTO reconciliation (submission_id, evaluation_id, household_id, household_type,
               comparisons, classification, settings_sha256, reconciled_at)
             SELECT i, {evaluation_id}, i, 'exited', CAST(:comparisons AS json),
                    CAST('{{"flags": {{}}}}' AS json), '', now()
             FROM generate_series(1, {count}) AS i""", {"comparisons": json.dumps(COMPARISONS)}),
        (f"""INSERT INTO review_decision (submission_id, evaluation_id, check_run_id, decision, reason, codes,
               actor, decided_at)
             SELECT i, {evaluation_id}, i / 20, 'clear', '已电话回访户主，定位偏差因在田间访谈。',
                    CAST('["GPS-03"]' AS json), 'user:sup', now()
             FROM generate_series(20, {count}, 20) AS i""", {}),
        ("ANALYZE", {}),
    ]
    for statement, params in statements:
        db.session.execute(text(statement), params)
        db.session.commit()


def one_answers_document(db, version):
    from server.cli.demo_interviews import _answers, _xml
    from server.models import Enumerator, Household, Submission
    from server.submissions.answers import parse_answers

    row, household = db.session.get(Submission, 1), db.session.get(Household, 1)
    fields = _answers(db.session.get(Enumerator, row.enumerator_id), household, "token", row.received_at, 1,
                      35, 0.05, "respondent")
    return parse_answers(_xml(version, row.instance_id, fields), version.fields)


def read_feed(client, headers, limit):
    """Page through the whole feed: (interviews, server seconds, page times in ms). Reading the JSON is
    the client's work and is not timed."""
    after, count, times = None, 0, []
    while True:
        query = {"limit": limit, **({"after": after} if after else {})}
        started = time.perf_counter()
        answer = client.get("/api/v1/evaluations/bench/changes", query_string=query, headers=headers)
        times.append((time.perf_counter() - started) * 1000)
        body = answer.get_json()
        assert answer.status_code == 200, body
        count += len(body["items"])
        after = body["next_cursor"]
        if not body["has_more"]:
            return count, sum(times) / 1000, times


def run(url, folder, interviews, limit):
    from server.accounts import api_tokens
    from server.infra import gcpause
    from server.infra.extensions import db

    app = scratch_app(url, folder, PUBLIC_URL="http://fieldcheck.bench")
    with app.app_context():
        evaluation, version, enumerator = shipped_evaluation()
        _, secret = api_tokens.create_token(evaluation, "archive", "read", actor="bench")
        db.session.commit()
        started = time.perf_counter()
        generate(db, evaluation.id, version.id, enumerator.id, interviews)
        feed_rows(db, evaluation.id, interviews, one_answers_document(db, version))
        print(f"generated {interviews:,} checked interviews in {time.perf_counter() - started:.0f} s")
        # dashboard_seed adds an earlier, superseded version to 1 in 100 interviews: the feed gives each
        versions = db.session.execute(text("SELECT count(*) FROM submission WHERE evaluation_id = :e"),
                                      {"e": evaluation.id}).scalar()
        db.session.remove()

        client, headers = app.test_client(), {"Authorization": f"Bearer {secret}"}
        gcpause.freeze_startup()  # as a web process does once started (server/web/gunicorn_conf.py)
        count, seconds, times = read_feed(client, headers, limit)
        assert count == versions, (count, versions)
        rate = count / seconds
        times.sort()
        print(f"feed: {count:,} interviews in {seconds:.1f} s = {rate:,.0f} interviews/s "
              f"(pages of {limit}: median {statistics.median(times):.0f} ms, "
              f"p95 {times[max(0, int(round(0.95 * len(times))) - 1)]:.0f} ms)")
        print(f"target >= {TARGET:,} interviews/s: {'met' if rate >= TARGET else 'NOT met'}")
        db.session.remove()
        db.engine.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=200_000)
    parser.add_argument("--limit", type=int, default=1000)
    args = parser.parse_args()
    with scratch() as (url, folder):
        run(url, folder, args.interviews, args.limit)


if __name__ == "__main__":
    main()

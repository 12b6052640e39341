"""Benchmark: exports of 1,000,000 interviews to CSV and XLSX, a 2 GB media ZIP, a 200 MB attachment download.

Each part runs on its own scratch PostgreSQL database (bench/scratch.py, dropped at the end).
- Tables: a 30-question form with one repeat (3 questions; 3 members per interview on average) is published,
  N processed interviews with their answers documents are COPYed straight into `submission` (no HTTP, no
  worker), then `python -m server export` runs as a child process per format: interviews/s, rows/s (rows
  of all tables: the main one and the repeat's) and the child's peak RSS (getrusage of the child).
- Media ZIP: the same ZIP export (`--format zip`) over a little media and over --media-mb of it (as many
  interviews, larger files): the peak RSS of both, so flat memory shows as no growth.
- Download: gunicorn (one worker) serves a --download-mb attachment to a streaming HTTP client with an API
  read token; the worker's peak RSS (VmHWM) before and after, the bytes and their sha256 checked.

Run: python bench/bench_export.py [--interviews 1000000] [--formats csv xlsx] [--media-mb 2048]
     [--media-interviews 400] [--download-mb 200]   (0 or an empty --formats skips a part;
     BENCH_REDIS_URL defaults to redis://127.0.0.1:6379/4)
Targets (issue 17): CSV >= 20,000 rows/s; peak RSS < 300 MB whatever the row count; the media ZIP
streamed with flat memory (here: < 30 MB more peak RSS for --media-mb than for 1/32 of it); the
attachment download with RSS growth < 30 MB.
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import re
import subprocess
import sys
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from bench.scratch import scratch, server_environment, wait_ready, worker_peaks  # noqa: E402

REDIS = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/4")
PORT = int(os.environ.get("BENCH_PORT", "8794"))
CHOICES = ("a", "b", "c", "d")


def form_source():
    """A 30-question XLSForm (markdown) with a group, selects, a GPS point and one repeat."""
    rows = ["| survey |", "| | type | name | label::中文 (zh) | label::English (en) |",
            "| | begin_group | cover | 封面 | Cover |", "| | text | village | 村名 | Village |",
            "| | geopoint | gps | 位置 | Location |", "| | date | day | 日期 | Day |", "| | end_group | | | |"]
    for i in range(4, 31):
        kind = ("integer", "decimal", "select_one abcd", "select_multiple abcd", "text")[i % 5]
        rows.append(f"| | {kind} | q{i} | 问题{i} | Question {i} |")
    rows += ["| | begin_repeat | members | 成员 | Members |", "| | text | name | 姓名 | Name |",
             "| | integer | age | 年龄 | Age |", "| | select_one abcd | rel | 关系 | Relation |",
             "| | end_repeat | | | |", "| choices |",
             "| | list_name | name | label::中文 (zh) | label::English (en) |"]
    rows += [f"| | abcd | {c} | 选项{c} | Choice {c} |" for c in CHOICES]
    rows += ["| settings |", "| | form_id | version | form_title | default_language |",
             "| | bench | 1 | 基准 | 中文 (zh) |"]
    return "\n".join(rows).encode("utf-8")


def answers(rng, index):
    gps = {"lat": 40 + rng.random(), "lon": 116 + rng.random(), "alt": 1200.0, "accuracy": 5.0}
    data = {"cover/village": f"村{index % 90}", "cover/gps": gps,
            "cover/day": "2021-05-01", "meta/instanceID": f"uuid:{index:012d}"}
    for i in range(4, 31):
        kind = i % 5
        data[f"q{i}"] = (rng.randrange(100), round(rng.random() * 1000, 2), rng.choice(CHOICES),
                         rng.sample(CHOICES, rng.randint(1, 3)), f"答案 {rng.randrange(10 ** 6)}")[kind]
    data["members"] = [{"name": f"成员{m}", "age": rng.randrange(90), "rel": rng.choice(CHOICES)}
                       for m in range(rng.randint(1, 5))]
    return {"data": data, "attachments": [], "unknown": []}


def load(engine, evaluation_id, version_id, count, media=None):
    """COPY `count` processed interviews; `media` [(name, path, size)] attaches files to the first ones."""
    rng = random.Random(17)
    columns = ("evaluation_id", "form_version_id", "instance_id", "root_instance_id", "current", "xml",
               "xml_sha256", "encrypted", "received_at", "answers", "processing", "pipeline_runs",
               "review_status")
    raw = engine.raw_connection()
    try:
        with raw.cursor() as cursor:
            with cursor.copy(f"COPY submission ({', '.join(columns)}) FROM STDIN") as copy:
                for i in range(count):
                    document = answers(rng, i)
                    if media:
                        document["attachments"] = [{"path": "/bench/photo", "name": media[i][0],
                                                    "present": True}]
                    copy.write_row([evaluation_id, version_id, f"uuid:{i:012d}", f"uuid:{i:012d}", True,
                                    "<data/>", "0" * 64, False, "2021-05-01T01:00:00+00:00",
                                    json.dumps(document, ensure_ascii=False), "processed", 1,
                                    ("clean", "review", "excluded", "cleared")[i % 4]])
            if media:
                cursor.execute("SELECT id FROM submission ORDER BY id")
                ids = [r[0] for r in cursor.fetchall()]
                with cursor.copy("COPY attachment (submission_id, name, content_type, size, sha256, path, "
                                 "received_at) FROM STDIN") as copy:
                    for submission_id, (name, path, size) in zip(ids, media):
                        copy.write_row([submission_id, name, "image/jpeg", size, "0" * 64, path,
                                        "2021-05-01T01:00:00+00:00"])
            cursor.execute("ANALYZE submission")
        raw.commit()
    finally:
        raw.close()


def prepare(url, folder, interviews, media=None):
    from server import create_app
    from server.questionnaires import forms_service
    from server.infra.extensions import db
    from server.models import Evaluation

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": REDIS, "MEDIA_ROOT": f"{folder}/media",
                      "INSTANCE_PATH": f"{folder}/instance", "SECRET_KEY": "bench", "DATA_KEY": "bench"})
    with app.app_context():
        db.create_all()
        evaluation = Evaluation(code="bench", name="bench", settings={})
        db.session.add(evaluation)
        db.session.commit()
        version = forms_service.publish_form(evaluation, form_source(), "bench.md", actor="bench")
        db.session.commit()
        started = time.perf_counter()
        load(db.engine, evaluation.id, version.id, interviews, media)
        print(f"loaded {interviews:,} interviews in {time.perf_counter() - started:.1f} s", flush=True)
        db.session.remove()
        db.engine.dispose()


def export(url, folder, fmt, interviews):
    """Run the CLI export in a child process: (seconds, the child's own peak RSS in MB)."""
    env = server_environment(url, folder, REDIS, 0)
    out = os.path.join(folder, f"out.{fmt}")
    started = time.perf_counter()
    with open(os.path.join(folder, "export.log"), "w+") as log:
        child = subprocess.Popen([sys.executable, "-m", "server", "export", "bench", "bench", "--format", fmt,
                                  "--out", out], env=env, stdout=log, stderr=log)
        _, status, usage = os.wait4(child.pid, 0)  # this child's rusage alone
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        log.seek(0)
        output = log.read()
        if child.returncode != 0:
            raise SystemExit(output)
    peak, cpu = usage.ru_maxrss, usage.ru_utime + usage.ru_stime
    rows = sum(int(n) for n in re.findall(r"': (\d+)", output.split("rows", 1)[-1]))
    size = os.path.getsize(out) / 2 ** 20
    print(f"{fmt}: {interviews:,} interviews ({rows:,} rows in all tables) in {seconds:.1f} s = "
          f"{interviews / seconds:,.0f} interviews/s, {rows / seconds:,.0f} rows/s; CPU {cpu:.1f} s "
          f"({interviews / cpu:,.0f} interviews and {rows / cpu:,.0f} rows per CPU-second); "
          f"peak RSS {peak / 1024:.0f} MB; file {size:,.0f} MB; load average {os.getloadavg()[0]:.1f}",
          flush=True)
    os.unlink(out)
    return seconds, peak / 1024, rows


def media_files(folder, total_mb, count, prefix="photo"):
    """`count` files of total_mb together under MEDIA_ROOT/bench (incompressible bytes)."""
    root = os.path.join(folder, "media", "bench")
    os.makedirs(root, exist_ok=True)
    size, block = total_mb * 2 ** 20 // count, os.urandom(2 ** 20)
    files = []
    for i in range(count):
        path = os.path.join(root, f"{prefix}{i}.jpg")
        with open(path, "wb") as handle:
            left = size
            while left > 0:
                handle.write(block[:min(left, len(block))])
                left -= len(block)
        files.append((f"{prefix}{i}.jpg", f"bench/{prefix}{i}.jpg", size))
    return files


def tables_part(interviews, formats):
    with scratch() as (url, folder):
        prepare(url, folder, interviews)
        results = {fmt: export(url, folder, fmt, interviews) for fmt in formats}
    if "csv" in results:
        seconds, _, rows = results["csv"]
        print(f"target CSV >= 20,000 rows/s: {'met' if rows / seconds >= 20_000 else 'NOT met'} "
              f"({rows / seconds:,.0f} rows/s of all tables; {interviews / seconds:,.0f} interviews/s)")
    worst = max(rss for _, rss, _ in results.values())
    print(f"target peak RSS < 300 MB: {'met' if worst < 300 else 'NOT met'} (worst {worst:.0f} MB)")


def media_part(total_mb, interviews):
    peaks = {}
    for mb in (max(1, total_mb // 32), total_mb):
        with scratch() as (url, folder):
            media = media_files(folder, mb, interviews)
            prepare(url, folder, interviews, media)
            print(f"media ZIP with {mb:,} MB of attachments:", end=" ", flush=True)
            peaks[mb] = export(url, folder, "zip", interviews)[1]
    small, large = peaks.values()
    print(f"target media ZIP streamed with flat memory: {'met' if large - small < 30 else 'NOT met'} "
          f"(peak RSS {small:.0f} MB with {min(peaks):,} MB of media, {large:.0f} MB with {max(peaks):,} MB)")


def download_part(size_mb):
    """One --download-mb attachment through gunicorn's single worker: its peak RSS growth."""
    with scratch() as (url, folder):
        small = media_files(folder, 1, 1, "small")
        large = media_files(folder, size_mb, 1, "large")
        prepare(url, folder, 2, small + large)
        token = read_token(url, folder)
        env = {**server_environment(url, folder, REDIS, PORT), "WEB_CONCURRENCY": "1"}
        server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "python:server.web.gunicorn_conf",
                                   "server:create_app()"], env=env, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        try:
            wait_ready(PORT, server)
            for _ in range(3):  # the worker's first requests import and cache what every later one uses
                fetch(token, 0, small[0][0])
            before = worker_peaks(server.pid)
            started = time.perf_counter()
            size, digest = fetch(token, 1, large[0][0])
            seconds = time.perf_counter() - started
            after = worker_peaks(server.pid)
        finally:
            server.terminate()
            server.wait(30)
        with open(os.path.join(folder, "media", large[0][1]), "rb") as handle:
            expected = hashlib.file_digest(handle, "sha256").hexdigest()
    growth = max(after[pid] - before.get(pid, 0) for pid in after) / 1024
    assert (size, digest) == (large[0][2], expected), "the download is not the stored file"
    megabytes = size / 2 ** 20
    print(f"attachment download: {megabytes:,.0f} MB in {seconds:.1f} s = {megabytes / seconds:,.0f} MB/s; "
          f"worker peak RSS {max(after.values()) / 1024:.0f} MB, growth {growth:.1f} MB; "
          f"load average {os.getloadavg()[0]:.1f}")
    print(f"target attachment download RSS growth < 30 MB: {'met' if growth < 30 else 'NOT met'}")


def read_token(url, folder):
    from server import create_app
    from server.accounts import api_tokens
    from server.infra.extensions import db
    from server.models import Evaluation

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": REDIS, "MEDIA_ROOT": f"{folder}/media",
                      "INSTANCE_PATH": f"{folder}/instance", "SECRET_KEY": "bench", "DATA_KEY": "bench"})
    with app.app_context():
        evaluation = db.session.query(Evaluation).filter_by(code="bench").one()
        _, token = api_tokens.create_token(evaluation, "bench", "read", actor="bench")
        db.session.commit()
        db.engine.dispose()
    return token


def fetch(token, index, name):
    """GET interview `index`'s attachment, read in 1 MB pieces: (bytes, sha256)."""
    connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=600)
    connection.request("GET", f"/api/v1/evaluations/bench/submissions/uuid:{index:012d}/attachments/{name}",
                       headers={"Authorization": f"Bearer {token}"})
    answer = connection.getresponse()
    assert answer.status == 200, (answer.status, answer.read()[:500])
    digest, size = hashlib.sha256(), 0
    while piece := answer.read(2 ** 20):
        digest.update(piece)
        size += len(piece)
    connection.close()
    return size, digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="*", default=["csv", "xlsx"])
    parser.add_argument("--media-mb", type=int, default=2048)
    parser.add_argument("--media-interviews", type=int, default=400)
    parser.add_argument("--download-mb", type=int, default=200)
    args = parser.parse_args()
    if args.formats:
        tables_part(args.interviews, args.formats)
    if args.media_mb:
        media_part(args.media_mb, args.media_interviews)
    if args.download_mb:
        download_part(args.download_mb)


if __name__ == "__main__":
    main()

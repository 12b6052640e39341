"""Benchmark: the evidence chain over 1,000,000 interviews — appending (the worker's sweeps) and verifying.

Creates a scratch PostgreSQL database (bench/scratch.py; dropped at the end), generates the interviews in
SQL (bench_dashboard's rows, with the sha256 of each stored XML as ingest records it), chains them with
the sweeps the worker runs, then verifies the whole chain as `fieldcheck chain verify` does (every entry
recomputed from its row, the XML re-hashed). Prints entries per second for both.

Run: flock /tmp/fieldcheck-bench.lock python bench/bench_chain.py [--interviews 1000000]
Target (issue 21): verification of 1,000,000 entries <= 60 s.
"""
import argparse
import os
import sys
import time

from sqlalchemy import text

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from bench.bench_dashboard import generate  # noqa: E402
from bench.scratch import scratch, scratch_app, shipped_evaluation  # noqa: E402

TARGET_S = 60


def run(url, folder, interviews):
    from server.evidence import sweep
    from server.evidence.verify import verify
    from server.infra.extensions import db

    app = scratch_app(url, folder)
    with app.app_context():
        evaluation, version, enumerator = shipped_evaluation()
        generate(db, evaluation.id, version.id, enumerator.id, interviews)
        db.session.execute(text("UPDATE submission SET xml = '<data id=\"bench\">' || id || '</data>'"))
        db.session.execute(text("UPDATE submission SET xml_sha256 = encode(sha256(convert_to(xml, 'UTF8')), "
                                "'hex')"))
        db.session.commit()

        started, chained = time.perf_counter(), 0
        while count := sweep.sweep(evaluation.id):
            db.session.commit()
            chained += count
        seconds = time.perf_counter() - started
        print(f"chained {chained:,} entries in {seconds:.1f} s = {chained / seconds:,.0f} entries/s "
              f"(sweeps of {sweep.SWEEP_LIMIT:,})")
        db.session.remove()

        started = time.perf_counter()
        result = verify(evaluation.id)
        seconds = time.perf_counter() - started
        assert result.ok and result.checked == chained, result.as_dict()
        print(f"verified {result.checked:,} entries in {seconds:.1f} s = {result.checked / seconds:,.0f} "
              f"entries/s; target <= {TARGET_S} s for 1,000,000: "
              f"{'met' if seconds * 1_000_000 / result.checked <= TARGET_S else 'NOT met'}")
        db.session.remove()
        db.engine.dispose()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interviews", type=int, default=1_000_000)
    args = parser.parse_args()
    with scratch() as (url, folder):
        run(url, folder, args.interviews)


if __name__ == "__main__":
    main()

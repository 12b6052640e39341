"""`make bench`: the benchmarks one after another on scratch databases, one table of their figures with each
target and pass/fail, and the same as JSON in bench/results/<date>[-quick].json for `make bench-compare`.

    python bench/run_all.py [--quick] [--only NAME] [--out FILE]

--quick runs each at a size that takes seconds, not minutes (for CI): its figures are not comparable with a
full run's, only with another quick run's on the same machine. Each benchmark's output goes to
bench/results/logs/<name>.log; a benchmark that fails is reported as failed and the others still run.
"""
import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.results import passed  # noqa: E402

# name: (script and arguments of a full run, of a quick run)
BENCHMARKS = {
    "ingest": (["bench_ingest.py", "--seconds", "20"], ["bench_ingest.py", "--seconds", "5"]),
    "worker": (["bench_worker.py", "3000"], ["bench_worker.py", "600"]),
    "e2e": (["bench_e2e.py", "--submissions", "6000"], ["bench_e2e.py", "--submissions", "600"]),
    "formlist": (["bench_formlist.py"], ["bench_formlist.py", "--rounds", "10", "--households", "1000"]),
}


def main():
    args = _arguments()
    names = [n for n in BENCHMARKS if not args.only or n in args.only]
    logs = os.path.join(ROOT, "bench", "results", "logs")
    os.makedirs(logs, exist_ok=True)
    figures, runs = [], {}
    for name in names:
        started = time.perf_counter()
        found, code = _run(name, BENCHMARKS[name][1 if args.quick else 0], os.path.join(logs, f"{name}.log"))
        runs[name] = {"exit": code, "seconds": round(time.perf_counter() - started, 1)}
        figures += found
        outcome = "" if code == 0 else f", FAILED (exit {code}; see bench/results/logs/{name}.log)"
        print(f"{name}: {len(found)} figures in {runs[name]['seconds']:.0f} s{outcome}", flush=True)
    print()
    print(table(figures))
    path = args.out or _default_path(args.quick)
    run = {"taken": datetime.datetime.now().isoformat(timespec="seconds"), "quick": args.quick,
           "machine": _machine(), "runs": runs, "figures": figures}
    with open(path, "w") as out:
        json.dump(run, out, indent=1, ensure_ascii=False)
    print(f"\nwritten to {os.path.relpath(path, ROOT)}")
    failed = [n for n, r in runs.items() if r["exit"] != 0]
    missed = [f for f in figures if passed(f) is False]
    sys.exit(1 if failed or (missed and not args.quick) else 0)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, for CI")
    parser.add_argument("--only", nargs="*", choices=sorted(BENCHMARKS), help="run only these")
    parser.add_argument("--out", help="the JSON file (default bench/results/<date>[-quick].json)")
    return parser.parse_args()


def _run(name, command, log_path):
    """([figures], exit code) of one benchmark, its output kept in `log_path`."""
    with tempfile.NamedTemporaryFile("r", suffix=".jsonl") as results, open(log_path, "w") as log:
        env = {**os.environ, "BENCH_RESULTS": results.name}
        code = subprocess.run([sys.executable, os.path.join("bench", command[0]), *command[1:]], cwd=ROOT,
                              env=env, stdout=log, stderr=subprocess.STDOUT).returncode
        return [json.loads(line) for line in results.read().splitlines() if line.strip()], code


def table(figures):
    """The figures as an aligned text table: benchmark, figure, value, target, pass/fail."""
    rows = [("benchmark", "figure", "value", "target", "")]
    for f in figures:
        sign = "≥ " if f["better"] == "higher" else "≤ "
        bound = "" if f["target"] is None else sign + _number(f["target"])
        verdict = {True: "pass", False: "FAIL", None: ""}[passed(f)]
        rows.append((f["bench"], f["name"], f"{_number(f['value'])} {f['unit']}", bound, verdict))
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows)


def _number(value):
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")


def _machine():
    return {"cores": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform(),
            "commit": subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                                     text=True).stdout.strip()}


def _default_path(quick):
    folder = os.path.join(ROOT, "bench", "results")
    return os.path.join(folder, f"{datetime.date.today().isoformat()}{'-quick' if quick else ''}.json")


if __name__ == "__main__":
    main()

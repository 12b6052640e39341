"""Benchmark: how long the `fieldcheck` command takes to start and answer.

Targets: every --help (and --version) in at most 0.5 s; a light database command (`forms list`,
`evaluations list`, `tokens list`) in at most 0.8 s ("well under a second"). They were 1.1-1.4 s
when a group's --help imported its commands' domain modules and every command's app imported
marshmallow and the PostgreSQL driver.
Runs each command N times as a fresh process in a scratch instance (SQLite, one evaluation with the
shipped questionnaire published, one token) after one untimed run that writes the bytecode caches (as
an installed package has them; PYTHONDONTWRITEBYTECODE is dropped and the caches go to a scratch
folder). Prints, per command, the median and minimum wall-clock time, the median CPU time (user + sys,
steadier on a shared machine) and PASS/FAIL of the median wall time against the target. The last row,
"floor", is Python importing Flask-SQLAlchemy and the data model and nothing else: what any database
command pays before it does anything.
With --instructions (needs valgrind) it also counts each command's instructions once (millions),
a figure that does not depend on what else the machine is doing.
Run:  python bench/bench_cli.py [--runs 7] [--instructions]
"""
import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHIPPED = REPO / "forms" / "xlsform" / "backcheck.xlsx"
HELP_TARGET, DB_TARGET = 0.5, 0.8
COMMANDS = (  # (arguments, kind)
    (("--help",), "help"),
    (("--version",), "help"),
    (("forms", "--help"), "help"),
    (("forms", "publish", "--help"), "help"),
    (("households", "import", "--help"), "help"),
    (("export", "--help"), "help"),
    (("worker", "--help"), "help"),
    (("db", "--help"), "help"),
    (("forms", "list", "bench"), "database"),
    (("evaluations", "list"), "database"),
    (("tokens", "list", "bench"), "database"),
)
FLOOR = ("-c", "import flask_sqlalchemy, flask.cli, server.models, sqlalchemy.orm as orm; "
               "orm.configure_mappers()")


def timed(argv, env):
    """(wall seconds, cpu seconds) of one `python ARGV` process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, *argv], env=env, capture_output=True, cwd=REPO)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"python {' '.join(argv)} failed: {proc.stderr.decode()[-500:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def instructions(argv, env):
    """Millions of instructions of one `python ARGV` process, counted by valgrind."""
    proc = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no",
                           "--cachegrind-out-file=/dev/null", sys.executable, *argv],
                          env=env, capture_output=True, text=True, cwd=REPO)
    for line in proc.stderr.splitlines():
        if "I   refs:" in line or "I refs:" in line:
            return int(line.split(":")[1].replace(",", "").strip()) / 1e6
    return float("nan")


def scratch_env(tmp):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_URL", "REDIS_URL", "FIELDCHECK", "PYTHONDONTWRITEBYTECODE"))}
    env.update(FIELDCHECK_INSTANCE=tmp, DATABASE_URL=f"sqlite:///{tmp}/bench.db", LANG="C.UTF-8",
               PYTHONPYCACHEPREFIX=f"{tmp}/pycache")
    return env


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--instructions", action="store_true", help="also count instructions (valgrind)")
    args = parser.parse_args()
    if args.instructions and not shutil.which("valgrind"):
        sys.exit("--instructions needs valgrind")
    with tempfile.TemporaryDirectory(prefix="fieldcheck-bench-cli-") as tmp:
        env = scratch_env(tmp)
        for setup in (("db", "upgrade"), ("evaluations", "create", "bench", "--name", "Bench"),
                      ("forms", "publish", "bench", str(SHIPPED)),
                      ("tokens", "create", "bench", "--name", "archive", "--scope", "import")):
            timed(("-m", "server", *setup), env)
        rows = [("fieldcheck " + " ".join(command), ("-m", "server", *command),
                 HELP_TARGET if kind == "help" else DB_TARGET) for command, kind in COMMANDS]
        rows.append(("floor: Flask-SQLAlchemy + data model", FLOOR, None))
        print(f"fieldcheck start-up: {args.runs} runs each after one untimed run (seconds)")
        print(f"{'command':40} {'median':>7} {'min':>7} {'cpu':>7} {'target':>7}  verdict"
              + ("  instructions" if args.instructions else ""))
        for name, argv, target in rows:
            timed(argv, env)  # writes the bytecode caches
            runs = [timed(argv, env) for _ in range(args.runs)]
            median = statistics.median(r[0] for r in runs)
            verdict = "" if target is None else ("PASS" if median <= target else "FAIL")
            line = (f"{name:40} {median:7.3f} {min(r[0] for r in runs):7.3f} "
                    f"{statistics.median(r[1] for r in runs):7.3f} {target or '':>7}  {verdict:7}")
            if args.instructions:
                line += f"  {instructions(argv, env):8.0f} M"
            print(line, flush=True)
        print(f"(bare interpreter: {min(timed(('-c', 'pass'), env)[0] for _ in range(3)):.3f} s wall)")


if __name__ == "__main__":
    main()

"""Instructions and system calls per submission of bench_ingest's request, counted, not timed.

    python bench/bench_request_counts.py [--submissions 100] [--limits]

Wall-clock rates on a shared machine swing by tens of percent within minutes; these counts do not. The app
runs in this process (Flask's test client, no gunicorn) on a scratch PostgreSQL database and Redis; each
submission is Collect's HEAD and a POST of 3 KB of XML and a 200 KB photo. The same request path is run
twice in child processes: under `valgrind --tool=callgrind` with instrumentation switched on only around the
submissions (instructions), then under `strace -c -f` attached only around them (system calls).
"""
import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=100)
    parser.add_argument("--limits", action="store_true", help="rate limits on (the default settings)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _child(args.submissions, args.limits, args.child)
    with tempfile.TemporaryDirectory() as folder:
        instructions = _under_callgrind(args, folder)
        calls = _under_strace(args, folder)
    n = args.submissions
    print(f"rate limits {'on' if args.limits else 'off'}, {n} submissions: "
          f"{instructions / n / 1e6:.2f} M instructions and {calls / n:.1f} system calls per submission")
    from bench.results import record
    record("request counts", "instructions per submission", instructions / n / 1e6, "M", better="lower")
    record("request counts", "system calls per submission", calls / n, "", better="lower")


def _command(args, marks):
    return [sys.executable, os.path.abspath(__file__), "--submissions", str(args.submissions),
            "--child", marks, *(["--limits"] if args.limits else [])]


def _under_callgrind(args, folder):
    marks, out = os.path.join(folder, "cg"), os.path.join(folder, "callgrind.out")
    child = subprocess.Popen(["valgrind", "--tool=callgrind", "--instr-atstart=no",
                              f"--callgrind-out-file={out}", *_command(args, marks)], cwd=ROOT,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _wait(f"{marks}.ready", child)
    subprocess.run(["callgrind_control", "-i", "on", str(child.pid)], check=True, capture_output=True)
    open(f"{marks}.go", "w").close()
    _wait(f"{marks}.done", child)
    subprocess.run(["callgrind_control", "-i", "off", str(child.pid)], check=True, capture_output=True)
    open(f"{marks}.stop", "w").close()
    log = child.communicate()[1]
    return int(re.findall(r"Collected : (\d+)", log)[-1])


def _under_strace(args, folder):
    marks, out = os.path.join(folder, "st"), os.path.join(folder, "strace.txt")
    child = subprocess.Popen(_command(args, marks), cwd=ROOT, stdout=subprocess.DEVNULL)
    _wait(f"{marks}.ready", child)
    tracer = subprocess.Popen(["strace", "-f", "-c", "-o", out, "-p", str(child.pid)],
                              stderr=subprocess.DEVNULL)
    time.sleep(1)  # strace attaches to every thread before the submissions start
    open(f"{marks}.go", "w").close()
    _wait(f"{marks}.done", child)
    tracer.terminate()
    tracer.wait(30)
    open(f"{marks}.stop", "w").close()
    child.wait(60)
    with open(out) as summary:
        return int(next(line.split()[3] for line in summary if line.rstrip().endswith(" total")))  # "calls"


def _wait(path, child):
    while not os.path.exists(path):
        if child.poll() is not None:
            raise SystemExit(f"the measured process exited ({child.returncode}) before {path}")
        time.sleep(0.1)


def _child(count, limits, marks):
    """Provision, warm up, then run `count` submissions between the marks the parent waits for."""
    from bench import bench_ingest as ingest
    from bench.scratch import scratch, server_environment

    with scratch() as (url, folder):
        env = server_environment(url, folder, "redis://127.0.0.1:6379/9", 8799)
        env["FIELDCHECK_RATE_LIMITS_ENABLED"] = "true" if limits else "false"
        subprocess.run([sys.executable, "-m", "server", "db", "upgrade"], env=env, check=True, cwd=ROOT,
                       capture_output=True)
        path = ingest._provision(env).split("8799", 1)[1] + "/submission?deviceID=collect:bench0000000000"
        os.environ.update(env)
        from server import create_app
        from server.infra import gcpause
        client = create_app({"MAX_CONTENT_LENGTH": 300 * 1024 * 1024}).test_client()
        gcpause.freeze_startup()
        rng = random.Random(1)
        bodies = [ingest._multipart(ingest._instance(), [("photo.jpg", rng.randbytes(200_000))])
                  for _ in range(count + 20)]
        for body in bodies[:20]:
            _submit(client, path, *body)
        _mark(marks, "ready", "go")
        for body in bodies[20:]:
            _submit(client, path, *body)
        _mark(marks, "done", "stop")


def _submit(client, path, body, content_type):
    from bench.bench_ingest import _headers
    headers = _headers()
    assert client.head(path, headers=headers).status_code == 204
    answer = client.post(path, headers={**headers, "Content-Type": content_type}, data=body)
    assert answer.status_code == 201, answer.data[:300]


def _mark(marks, written, awaited):
    open(f"{marks}.{written}", "w").close()
    while not os.path.exists(f"{marks}.{awaited}"):
        time.sleep(0.05)


if __name__ == "__main__":
    main()

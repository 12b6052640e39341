"""Submission ingest under a Collect-like load, on PostgreSQL and Redis behind gunicorn.

    python bench/bench_ingest.py [--seconds 15] [--clients 16] [--workers N]

Creates a scratch PostgreSQL database (dropped at the end), migrates it with `python -m server db
upgrade`, makes an evaluation, an enumerator and a form, and starts gunicorn with
server/web/gunicorn_conf.py on loopback. Then 16 clients (4 processes x 4 threads) each do what
Collect does per submission: HEAD /submission, then POST 3 KB of XML and one 200 KB photo.
Prints accepted submissions/s with p50 and p99 of the POST and the CPU each took (server,
PostgreSQL, load generator), then posts one 200 MB attachment and
prints how much the RSS of the gunicorn workers grew. Targets: >= 300/s, p99 < 150 ms, < 30 MB.
"""
import argparse
import http.client
import multiprocessing
import os
import socket
import subprocess
import sys
import time
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from bench.results import record  # noqa: E402
from bench.scratch import ADMIN_URL, scratch, server_environment, wait_ready, worker_peaks  # noqa: E402

FORM = """| survey |
| | type | name | label |
| | text | household | Household |
| | text | notes | Notes |
| | image | photo | Photo |
| settings |
| | form_id | version |
| | bench | 1 |
"""
PHOTO = os.urandom(200_000)
BIG = 200 * 1024 * 1024


def main():
    args = _arguments()
    with scratch(args.admin_url) as (database_url, folder):
        env = server_environment(database_url, folder, args.redis_url, args.port)
        if args.workers:
            env["WEB_CONCURRENCY"] = str(args.workers)
        subprocess.run([sys.executable, "-m", "server", "db", "upgrade"], env=env, check=True,
                       cwd=ROOT, capture_output=True)
        server_url = _provision(env)
        _run(args, env, server_url)


def _arguments():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default=ADMIN_URL)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--processes", type=int, default=4)
    parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default: the conf's)")
    return parser.parse_args()


def _provision(env):
    """Evaluation, enumerator and published form, made through the domain code; returns {S}."""
    code = (f"import os; from server import create_app\n"
            f"from server.accounts import evaluations, users as accounts\n"
            f"from server.infra.extensions import db\n"
            f"from server.questionnaires import forms_service\n"
            f"app = create_app()\n"
            f"with app.app_context():\n"
            f"    e = evaluations.create_evaluation('bench', 'Bench')\n"
            f"    _, token = accounts.create_enumerator(e, 'enum1', county='c', township='t', village='v')\n"
            f"    forms_service.publish_form(e, {FORM!r}.encode(), 'bench.md')\n"
            f"    db.session.commit()\n"
            f"    print(os.environ['PUBLIC_URL'] + '/key/' + token + '/bench')\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, check=True, capture_output=True,
                         text=True)
    return out.stdout.strip().splitlines()[-1]


def _run(args, env, server_url):
    overrides = {"MAX_CONTENT_LENGTH": 300 * 1024 * 1024, "OPENROSA_ACCEPT_CONTENT_LENGTH": 250 * 1024 * 1024}
    command = [sys.executable, "-m", "gunicorn", "-c", "python:server.web.gunicorn_conf",
               f"server:create_app({overrides!r})"]
    # The server's log goes to a file: a pipe nobody reads until the end would block its writers once full.
    log_path = os.path.join(os.path.dirname(env["MEDIA_ROOT"]), "gunicorn.log")
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log)
    try:
        wait_ready(args.port, server, log_path=log_path)
        if not _load(args, server_url, server.pid, env["DATABASE_URL"].rsplit("/", 1)[1]):
            with open(log_path, errors="replace") as log:
                print("no submission was accepted; the server's log ends:\n" + log.read()[-4000:])
        _big_upload(args, server_url, server.pid)
    finally:
        server.terminate()
        server.wait(30)


def _load(args, server_url, master_pid, database):
    per_process = max(1, args.clients // args.processes)
    start_at = time.time() + 1.0
    with multiprocessing.Pool(args.processes) as pool:
        jobs = [(server_url, per_process, start_at, args.seconds)] * args.processes
        waiting = pool.starmap_async(_client_process, jobs)
        time.sleep(max(0.0, start_at - time.time()))
        meter = _CpuMeter(master_pid, database)
        while not waiting.ready():
            meter.sample()
            waiting.wait(0.2)
        results = waiting.get()
        user, system, postgres = meter.sample()
    latencies = sorted(x for r in results for x in r[0])
    failures = sum(r[1] for r in results)
    accepted = len(latencies)
    if not accepted:
        return 0
    client_cpu = sum(r[2] for r in results)
    print(f"clients: {per_process * args.processes} ({args.processes} processes x {per_process} threads), "
          f"{args.seconds:.0f} s, each: HEAD + POST of {len(_instance())} B XML + {len(PHOTO)} B photo")
    print(f"accepted: {accepted} ({accepted / args.seconds:.1f}/s), failed: {failures}")
    print(f"POST latency p50 {_pct(latencies, 50):.1f} ms, p99 {_pct(latencies, 99):.1f} ms, "
          f"max {latencies[-1]:.1f} ms")
    per = 1000 / max(1, accepted)
    print(f"CPU per accepted submission (HEAD + POST): gunicorn {(user + system) * per:.2f} ms (user "
          f"{user * per:.2f}, system {system * per:.2f}), PostgreSQL {postgres * per:.2f} ms, load generator "
          f"{client_cpu * per:.2f} ms")
    record("ingest", "accepted", accepted / args.seconds, "/s", target=350)
    record("ingest", "POST p50", _pct(latencies, 50), "ms", better="lower")
    record("ingest", "POST p99", _pct(latencies, 99), "ms", target=100, better="lower")
    return accepted


class _CpuMeter:
    """CPU seconds used since it started by the gunicorn processes (user, system) and by this
    database's PostgreSQL backends, sampled often: a backend or worker that exits mid-run (a pool's
    overflow connection, a recycled worker) still counts with what it had used when last seen."""

    def __init__(self, master_pid, database):
        self.master_pid, self.database = master_pid, database
        self.start = self._read()
        self.last = dict(self.start)

    def sample(self):
        self.last.update(self._read())
        totals = [0.0, 0.0, 0.0]
        for pid, (kind, user, system) in self.last.items():
            _, user0, system0 = self.start.get(pid, (kind, 0, 0))
            if kind == "gunicorn":
                totals[0] += user - user0
                totals[1] += system - system0
            else:
                totals[2] += user - user0 + system - system0
        return totals

    def _read(self):
        tick, seen = os.sysconf("SC_CLK_TCK"), {}
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                with open(f"/proc/{pid}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
                with open(f"/proc/{pid}/cmdline") as cmdline:
                    command = cmdline.read()
            except OSError:
                continue
            if int(pid) == self.master_pid or int(fields[1]) == self.master_pid:
                kind = "gunicorn"
            elif command.startswith("postgres:") and f" {self.database} " in command:
                kind = "postgres"
            else:
                continue
            seen[int(pid)] = (kind, int(fields[11]) / tick, int(fields[12]) / tick)
        return seen


def _pct(values, p):
    return values[min(len(values) - 1, int(len(values) * p / 100))] if values else float("nan")


def _client_process(server_url, threads, start_at, seconds):
    import threading

    time.sleep(max(0.0, start_at - time.time()))
    cpu = time.process_time()
    out = []
    workers = [threading.Thread(target=lambda: out.append(_client(server_url, start_at, seconds)))
               for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return [x for r in out for x in r[0]], sum(r[1] for r in out), time.process_time() - cpu


def _client(server_url, start_at, seconds):
    from urllib.parse import urlsplit

    parts = urlsplit(server_url)
    path = parts.path + "/submission?deviceID=collect:bench0000000000"
    wire = _Wire(parts.hostname, parts.port)
    time.sleep(max(0.0, start_at - time.time()))
    latencies, failures, stop = [], 0, start_at + seconds
    while time.time() < stop:
        photo = uuid.uuid4().bytes + PHOTO[16:]  # every photo differs, as on phones (no dedup)
        body, content_type = _multipart(_instance(), [("photo.jpg", photo)])
        wire.request("HEAD", path, _headers())
        began = time.perf_counter()
        status = wire.request("POST", path, {**_headers(), "Content-Type": content_type}, body)
        if status == 201:
            latencies.append((time.perf_counter() - began) * 1000)
        else:
            failures += 1
    return latencies, failures


class _Wire:
    """A lean HTTP/1.1 client: keep-alive as OkHttp does, reconnecting when the server closes.

    http.client spent more CPU per request than the server's whole request path, and the load
    generator shares the machine's two cores with the server, so it is kept to sockets and bytes.
    """

    def __init__(self, host, port):
        self.address = (host, port)
        self.sock = None
        self.host = f"{host}:{port}"

    def request(self, method, path, headers, body=b""):
        """Send one request, read the whole response; returns the status code."""
        if self.sock is None:
            self.sock = socket.create_connection(self.address, timeout=60)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        self.sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        status, close = self._response(method == "HEAD")
        if close:
            self.sock.close()
            self.sock = None
        return status

    def _response(self, head_only):
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("the server closed the connection mid-response")
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split()[1])
        fields = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
        length = 0 if head_only or status in (204, 304) else int(fields.get("content-length", 0))
        while len(rest) < length:
            rest += self.sock.recv(65536)
        return status, fields.get("connection", "").lower() == "close"


def _headers():
    return {"X-OpenRosa-Version": "1.0", "User-Agent": "org.odk.collect.android/v2025.2.0 bench"}


def _instance():
    notes = "调查记录 " * 300  # about 3 KB of XML, as a small interview
    instance_id = f"uuid:{uuid.uuid4()}"
    return (f'<?xml version="1.0" encoding="UTF-8"?><data id="bench" version="1"><household>HH-1</household>'
            f"<notes>{notes}</notes><photo>photo.jpg</photo>"
            f"<meta><instanceID>{instance_id}</instanceID></meta></data>").encode("utf-8")


def _multipart(xml, files):
    boundary = uuid.uuid4().hex
    chunks = [_part(boundary, "xml_submission_file", "instance.xml", "text/xml"), xml, b"\r\n"]
    for name, data in files:
        chunks += [_part(boundary, name, name, "image/jpeg"), data, b"\r\n"]
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"


def _part(boundary, name, filename, content_type):
    return (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n").encode()


def _big_upload(args, server_url, master_pid):
    """POST one 200 MB attachment, streamed from disk, and report the workers' RSS growth."""
    from urllib.parse import urlsplit

    before = worker_peaks(master_pid)
    xml = _instance().replace(b"photo.jpg", b"video.mp4")
    head, content_type = _multipart(xml, [])
    boundary = content_type.rsplit("=", 1)[1]
    prefix = head[: -len(f"--{boundary}--\r\n")] + _part(boundary, "video.mp4", "video.mp4", "video/mp4")
    suffix = f"\r\n--{boundary}--\r\n".encode()
    parts = urlsplit(server_url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    connection.putrequest("POST", parts.path + "/submission")
    for name, value in {**_headers(), "Content-Type": content_type,
                        "Content-Length": str(len(prefix) + BIG + len(suffix))}.items():
        connection.putheader(name, value)
    connection.endheaders()
    began = time.perf_counter()
    connection.send(prefix)
    block = os.urandom(1024 * 1024)
    for _ in range(BIG // len(block)):
        connection.send(block)
    connection.send(suffix)
    status = connection.getresponse().status
    elapsed = time.perf_counter() - began
    after = worker_peaks(master_pid)
    growth = max(after.get(pid, 0) - before.get(pid, 0) for pid in after) / 1024
    print(f"200 MB attachment: status {status} in {elapsed:.1f} s; worker RSS growth (max over "
          f"{len(after)} workers): {growth:.1f} MB")
    record("ingest", "200 MB upload: worker RSS growth", growth, "MB", target=30, better="lower")


if __name__ == "__main__":
    main()

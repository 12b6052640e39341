"""Private, real Redis and PostgreSQL servers that a fault test may stop, kill and restart.

They run from the machine's own binaries on free loopback ports, in the test's temp folder, so
breaking them disturbs nothing else. Missing binaries make the fault tests skip, with the reason.
"""
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time

REDIS = shutil.which("redis-server")
PG_BIN = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:] or [None]
PG_BIN = PG_BIN[0]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(check, what, limit=30):
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} did not come up within {limit} s")


def _port_open(port):
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


class PrivateRedis:
    def __init__(self, folder):
        self.folder, self.port, self.process = folder, free_port(), None
        self.url = f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            [REDIS, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait(lambda: _port_open(self.port), "redis")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)


class PrivatePostgres:
    """A throwaway cluster owned by the `postgres` user (initdb refuses to run as root)."""

    def __init__(self):
        # Not under pytest's tmp_path: that is private to root, and the server runs as postgres.
        self.folder = tempfile.mkdtemp(prefix="fieldcheck-pg-")
        os.chmod(self.folder, 0o755)
        self.data = os.path.join(self.folder, "pgdata")
        self.sockets = os.path.join(self.folder, "pgsock")
        self.port = free_port()
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *args):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(prefix + list(args), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def init(self):
        for path in (self.data, self.sockets):
            os.makedirs(path, exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres", "postgres")
        self._as_postgres(f"{PG_BIN}/initdb", "-D", self.data, "-A", "trust", "-U", "postgres",
                          "--no-sync")

    def start(self):
        self._as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-w", "-l", self.data + "/log",
                          "-o", f"-p {self.port} -k {self.sockets} -c fsync=off "
                                "-c listen_addresses=127.0.0.1",
                          "start")
        _wait(lambda: _port_open(self.port), "postgres")

    def restart(self):
        self._as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-w", "-m", "fast", "restart")
        _wait(lambda: _port_open(self.port), "postgres")

    def pause(self):
        """Shut the server down (fast: sessions are cut), keeping its data for `resume`."""
        self._as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-w", "-m", "fast", "stop")

    def resume(self):
        self.start()

    def stop(self):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self._as_postgres(f"{PG_BIN}/pg_ctl", "-D", self.data, "-w", "-m", "immediate", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def missing_binaries():
    if not REDIS:
        return "redis-server is not installed"
    if not PG_BIN or not os.path.exists(f"{PG_BIN}/initdb"):
        return "PostgreSQL server binaries (initdb, pg_ctl) are not installed"
    if os.geteuid() == 0 and not shutil.which("runuser"):
        return "running as root needs runuser to start PostgreSQL as postgres"
    return None

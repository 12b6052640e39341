"""What the HTTP benchmarks share: a scratch database and folder, the server's environment, readiness."""
import http.client
import os
import subprocess
import tempfile
import time
import uuid
from contextlib import contextmanager

from sqlalchemy import create_engine, text

ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@contextmanager
def scratch(admin_url=ADMIN_URL):
    """Yield (database URL, folder): a new PostgreSQL database and a temp folder, both removed after."""
    database = f"fc_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {database}"))
    folder = tempfile.mkdtemp(prefix="fc-bench-")
    try:
        yield f"{admin_url.rsplit('/', 1)[0]}/{database}", folder
    finally:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"))
        admin.dispose()
        subprocess.run(["rm", "-rf", folder])


def server_environment(database_url, folder, redis_url, port):
    """The environment of a fieldcheck web or worker process on that database, serving on `port`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}
    env.update(DATABASE_URL=database_url, REDIS_URL=redis_url, MEDIA_ROOT=f"{folder}/media",
               FIELDCHECK_INSTANCE=f"{folder}/instance", SECRET_KEY="bench", FIELDCHECK_DATA_KEY="bench",
               PUBLIC_URL=f"http://127.0.0.1:{port}", GUNICORN_BIND=f"127.0.0.1:{port}",
               GUNICORN_ACCESSLOG="")
    return env


def wait_ready(port, server, limit=60, log_path=None):
    """Wait until /healthz answers on `port`; stop with the server's errors (its stderr pipe, or the file
    `log_path`) if it exits."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if server.poll() is not None:
            if log_path:
                with open(log_path, errors="replace") as log:
                    raise SystemExit(log.read())
            raise SystemExit(server.stderr.read().decode())
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def scratch_app(url, folder, **config):
    """The app on a scratch database (bench_dashboard's style: schema from the models, no migrations)."""
    from server import create_app

    return create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": "redis://127.0.0.1:6379/12",
                       "INSTANCE_PATH": f"{folder}/instance", "MEDIA_ROOT": f"{folder}/media",
                       "SECRET_KEY": "bench", "DATA_KEY": "bench", **config})


def shipped_evaluation():
    """(evaluation, published household questionnaire version, enumerator) in a fresh schema; commits."""
    from server.accounts import evaluations
    from server.infra.extensions import db
    from server.models import Enumerator
    from server.questionnaires import forms_service

    db.create_all()
    evaluation = evaluations.create_evaluation("bench", "基准 bench", actor="bench")
    form = os.path.join(os.path.dirname(__file__), "..", "forms", "xlsform", "household_interview.xlsx")
    with open(form, "rb") as source:
        version = forms_service.publish_form(evaluation, source.read(), "household_interview.xlsx",
                                             actor="bench")
    enumerator = Enumerator(evaluation_id=evaluation.id, username="enum1", display_name="调查员一")
    db.session.add(enumerator)
    db.session.commit()
    return evaluation, version, enumerator


def worker_peaks(master_pid):
    """{pid: VmHWM in kB} of gunicorn's workers (the master's children): their peak RSS so far."""
    peaks = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/status") as status:
                fields = dict(line.split(":", 1) for line in status if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(master_pid):
            peaks[int(pid)] = int(fields["VmHWM"].split()[0])
    return peaks

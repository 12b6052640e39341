"""`fieldcheck serve` (web + worker, and the embedded Redis when REDIS_URL is unset), `fieldcheck demo`."""
import os
import signal
import subprocess
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from server.database import check_database, check_schema_current
from server.extensions import db


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--web-processes", default=2, show_default=True, type=int)
@with_appcontext
def serve_command(host, port, web_processes):
    """Serve the web app (gunicorn) and a worker; stop both on Ctrl-C or SIGTERM."""
    check_database(db.engine)
    check_schema_current(db.engine)
    env = dict(os.environ, FIELDCHECK_INSTANCE=current_app.instance_path)
    embedded = None
    if not current_app.config["REDIS_URL"]:
        from server.queues import start_embedded

        embedded = start_embedded(current_app.instance_path)
        env["REDIS_URL"] = f"unix://{embedded.socket_file}"
        click.echo(f"embedded Redis at {env['REDIS_URL']}")
    db.engine.dispose()
    # The production settings (server/gunicorn_conf.py), with no proxy in front: log requests here.
    web = [sys.executable, "-m", "gunicorn", "-c", "python:server.gunicorn_conf", "--bind", f"{host}:{port}",
           "--workers", str(web_processes), "--access-logfile", "-", "server:create_app()"]
    children = [subprocess.Popen(web, env=env),
                subprocess.Popen([sys.executable, "-m", "server", "worker"], env=env)]
    click.echo(f"fieldcheck serving on http://{host}:{port} (web pid {children[0].pid}, "
               f"worker pid {children[1].pid})")
    code = _supervise(children)
    if embedded is not None:
        embedded.shutdown()
    sys.exit(code)


def _supervise(children):
    """Wait until a child exits or we are told to stop; then stop the others and return a status."""
    stopping = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.append(True))
    while not stopping and all(child.poll() is None for child in children):
        time.sleep(0.5)
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()
    return 0 if stopping else 1


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Only when the database holds no evaluation yet.")
@with_appcontext
def demo_command(if_empty):
    """Load a demo evaluation ready for ODK Collect, and print how to use it."""
    from server.demo import database_is_empty, load_demo

    if if_empty and not database_is_empty():
        click.echo("The database already holds evaluations; the demo was not loaded.")
        return
    for line in load_demo():
        click.echo(line)

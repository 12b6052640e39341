"""`fieldcheck serve` (web + worker, and the embedded Redis when REDIS_URL is unset), `fieldcheck demo`."""
import os
import signal
import subprocess
import sys
import time

import click

from server.infra.commands import with_app


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int, envvar="PORT",
              help="Port to listen on (or the PORT environment variable).")
@click.option("--web-processes", default=2, show_default=True, type=int)
@click.option("--demo", is_flag=True, help="First load the demo evaluation if the database holds none.")
@with_app
def serve_command(host, port, web_processes, demo):
    """Serve the web app (gunicorn) and a worker; stop both on Ctrl-C or SIGTERM."""
    from flask import current_app

    from server.cli import banner  # lazy: --help
    from server.cli.demo import database_is_empty, load_demo  # lazy: --help
    from server.infra import addresses  # lazy: --help
    from server.infra.database import check_database, check_schema_current  # lazy: --help
    from server.infra.extensions import db  # lazy: --help
    from server.infra.queues import start_embedded  # lazy: --help

    check_database(db.engine)
    check_schema_current(db.engine)
    addresses.record_served(current_app.instance_path, host, port)  # what links and QR codes say
    if demo and database_is_empty():
        for line in load_demo():
            click.echo(line)
    env = dict(os.environ, FIELDCHECK_INSTANCE=current_app.instance_path)
    embedded = None
    if not current_app.config["REDIS_URL"]:
        embedded = start_embedded(current_app.instance_path)
        env["REDIS_URL"] = f"unix://{embedded.socket_file}"
        click.echo(f"embedded Redis at {env['REDIS_URL']}")
    db.engine.dispose()
    # The production settings (server/web/gunicorn_conf.py), with no proxy in front: log requests here.
    web = [sys.executable, "-m", "gunicorn", "-c", "python:server.web.gunicorn_conf",
           "--bind", f"{host}:{port}", "--workers", str(web_processes), "--access-logfile", "-",
           "server:create_app()"]
    children = [subprocess.Popen(web, env=env),
                subprocess.Popen([sys.executable, "-m", "server", "worker"], env=env)]
    click.echo(f"fieldcheck serving on {host}:{port} (web pid {children[0].pid}, "
               f"worker pid {children[1].pid})")
    stopping = _stop_on_signals()
    if banner.wait_until_up(host, port, give_up=lambda: stopping or _any_exited(children)):
        for line in banner.lines(addresses.public_base()):
            click.echo(line)
    code = _supervise(children, stopping)
    if embedded is not None:
        embedded.shutdown()
    sys.exit(code)


def _stop_on_signals():
    """A list that gets an item when SIGINT or SIGTERM arrives."""
    stopping = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.append(True))
    return stopping


def _any_exited(children):
    return any(child.poll() is not None for child in children)


def _supervise(children, stopping):
    """Wait until a child exits or we are told to stop; then stop the others and return a status."""
    while not stopping and not _any_exited(children):
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
@with_app
def demo_command(if_empty):
    """Load a demo evaluation ready for ODK Collect, and print how to use it."""
    from server.cli.demo import database_is_empty, load_demo  # lazy: --help

    if if_empty and not database_is_empty():
        click.echo("The database already holds evaluations; the demo was not loaded.")
        return
    for line in load_demo():
        click.echo(line)

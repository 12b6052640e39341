"""`fieldcheck worker` and `fieldcheck relay`: run rq workers and the outbox relay in the app context."""
import logging
import threading
import time

import click
from flask import current_app
from flask.cli import with_appcontext
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import SimpleWorker

from server.extensions import db

log = logging.getLogger("fieldcheck.worker")


@click.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--no-relay", is_flag=True, help="Do not sweep the outbox from this process.")
@with_appcontext
def worker_command(queues, burst, no_relay):
    """Run a worker on QUEUES (default: all). SIGTERM lets the running job finish, then stops."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    rq = current_app.extensions["rq"]
    names = queues or current_app.config["RQ_QUEUES"]
    db.engine.dispose()  # no connection from before the worker starts is reused
    if not no_relay:
        _start_relay(current_app._get_current_object())
    _work_until_stopped(rq, names, burst)


def _work_until_stopped(rq, names, burst):
    """SimpleWorker runs jobs in this process, in this app context (no fork per job); a Redis
    outage restarts it instead of ending the process, so a worker outlives a Redis restart."""
    while True:
        try:
            SimpleWorker(rq.queues(names), connection=rq.connection).work(burst=burst, with_scheduler=False)
            return  # the queues are empty (--burst) or a stop was asked for (SIGTERM, SIGINT)
        except RedisConnectionError as exc:
            log.warning("Redis is unreachable (%s); trying again in 2 s", exc)
            time.sleep(2)


@click.command("relay")
@click.option("--once", is_flag=True, help="Sweep once and exit.")
@with_appcontext
def relay_command(once):
    """Wake the queues of outbox events that never reached a worker (e.g. Redis was down)."""
    from server.outbox import relay_pending

    if once:
        queues = relay_pending()
        click.echo(f"woke {', '.join(sorted(queues)) or 'no queue'}")
        return
    _relay_loop(current_app._get_current_object(), threading.Event())


def _start_relay(app):
    stop = threading.Event()
    thread = threading.Thread(target=_relay_loop, args=(app, stop), name="outbox-relay", daemon=True)
    thread.start()
    return stop


def _relay_loop(app, stop):
    from server.outbox import relay_pending

    while True:
        with app.app_context():
            try:
                queues = relay_pending()
                if queues:
                    log.info("woke %s for events that waited too long", ", ".join(sorted(queues)))
            except Exception as exc:  # the database or Redis is away; try again next round
                log.warning("relay sweep failed: %s", exc)
            finally:
                db.session.remove()
        if stop.wait(app.config["RELAY_INTERVAL"]):
            return

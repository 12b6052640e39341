"""What `fieldcheck worker` and `fieldcheck relay` run, in the app's context: rq workers in this
process, and the outbox relay (in a thread of the worker, or on its own)."""
import logging
import threading
import time

from flask import current_app
from redis.exceptions import ConnectionError as RedisConnectionError
from rq import SimpleWorker

from server.evidence import sweep
from server.feed import webhooks
from server.infra import gcpause
from server.infra.extensions import db
from server.pipeline.outbox import relay_pending

log = logging.getLogger("fieldcheck.worker")


def work(queues, burst, relay=True):
    """Run a worker on `queues` (default: all), with the relay in a thread unless told not to."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    rq = current_app.extensions["rq"]
    names = queues or current_app.config["RQ_QUEUES"]
    db.engine.dispose()  # no connection from before the worker starts is reused
    if relay:
        _start_relay(current_app._get_current_object())
    gcpause.freeze_startup()
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


def relay_once():
    """(the queues woken, the chain sweeps asked for)."""
    return relay_pending(), _request_sweeps()


def relay_forever():
    _relay_loop(current_app._get_current_object(), threading.Event())


def _request_sweeps():
    """The relay's second duty: chain what nothing else asked to chain (review decisions, verdicts, a
    submission batch whose request was lost), and retry webhook deliveries whose back-off has passed.
    Committing wakes the chain and webhooks queues."""
    count = sweep.request_behind()
    webhooks.request_due()
    db.session.commit()
    return count


def _start_relay(app):
    stop = threading.Event()
    thread = threading.Thread(target=_relay_loop, args=(app, stop), name="outbox-relay", daemon=True)
    thread.start()
    return stop


def _relay_loop(app, stop):
    while True:
        with app.app_context():
            try:
                queues = relay_pending()
                if queues:
                    log.info("woke %s for events that waited too long", ", ".join(sorted(queues)))
                _request_sweeps()
            except Exception as exc:  # the database or Redis is away; try again next round
                log.warning("relay sweep failed: %s", exc)
            finally:
                db.session.remove()
        if stop.wait(app.config["RELAY_INTERVAL"]):
            return

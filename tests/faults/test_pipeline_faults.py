"""Nothing is lost, nothing is done twice: every accepted submission ends processed exactly once,
whatever fails in between (issue 6). Real PostgreSQL and real Redis, each private to the test."""
import signal
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from server.infra.extensions import db, rq
from server.models import OutboxEvent, Submission
from testkit.collect_client import CollectClient
from testkit.collect_wire import build_instance_xml

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def post_submissions(cluster, count, threads=8):
    """Post `count` submissions as Collect would; every one must be accepted (201)."""
    def one(n):
        instance_id = f"uuid:{uuid.uuid4()}"
        xml = build_instance_xml("plain", "1", instance_id, {"q1": f"answer {n}"})
        result = CollectClient(cluster.collect_url).submit(xml)
        assert result.ok and result.statuses[-1] == 201, (result.statuses, result.error)
        return instance_id

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(one, range(count)))


def assert_exactly_once(cluster, expected):
    total, once, more, done, failed = cluster.counts()
    assert (total, once, more) == (expected, expected, 0), cluster.counts()
    assert (done, failed) == (expected, 0)


def test_a_worker_killed_mid_batch(cluster):
    post_submissions(cluster, 500)
    worker = cluster.start_worker()
    cluster.wait_until(lambda c: c[1] >= 100, what="the first batches")
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    assert cluster.counts()[1] < 500, "the worker finished before it could be killed"
    cluster.start_worker()
    cluster.wait_until(lambda c: c[1] == 500)
    assert_exactly_once(cluster, 500)


def test_redis_down_while_submissions_arrive(cluster):
    cluster.start_worker()
    cluster.redis.stop()
    post_submissions(cluster, 200)  # all accepted with 201 while Redis is away
    assert cluster.counts()[:2] == (200, 0)
    cluster.redis.start()
    cluster.wait_until(lambda c: c[1] == 200)
    assert_exactly_once(cluster, 200)


def test_postgresql_restarted_while_the_worker_runs(cluster):
    post_submissions(cluster, 400)
    cluster.start_worker()
    cluster.wait_until(lambda c: c[1] >= 50, what="the first batches")
    cluster.pg.restart()
    cluster.wait_until(lambda c: c[1] == 400, limit=120)
    assert_exactly_once(cluster, 400)


def test_a_poison_submission_among_good_ones(cluster):
    post_submissions(cluster, 50)
    with cluster.app.app_context():
        poison = db.session.query(Submission).order_by(Submission.id).first()
        poison.xml = poison.xml.replace("</data>", "<broken></data>")  # stored, then damaged
        db.session.commit()
        poison_id = poison.id
        db.session.remove()
    post_submissions(cluster, 50)
    cluster.start_worker()
    cluster.wait_until(lambda c: c[3] + c[4] == 100)
    total, once, more, done, failed = cluster.counts()
    assert (total, once, more, done, failed) == (100, 99, 0, 99, 1)
    with cluster.app.app_context():
        event = db.session.query(OutboxEvent).filter_by(state="failed").one()
        assert event.payload["submission_id"] == poison_id and "submission.unparseable" not in ("",)
        assert "cannot be parsed" in event.last_error
        assert db.session.get(Submission, poison_id).processing == "failed"
        db.session.remove()


def test_the_same_events_enqueued_twice_to_two_workers(cluster):
    post_submissions(cluster, 300)
    with cluster.app.app_context():
        for _ in range(4):  # duplicate wake-ups, as a relay and a retry might send
            rq.queue("submissions").enqueue("worker.drain.drain", "submissions")
        db.session.remove()
    cluster.start_worker()
    cluster.start_worker()
    cluster.wait_until(lambda c: c[1] == 300)
    assert_exactly_once(cluster, 300)

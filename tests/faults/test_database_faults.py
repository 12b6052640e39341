"""A database restart, or a database away for 20 s, while phones sync: never a 500 (issue 14).

Phones behave as ODK Collect with a patient user: formList, then HEAD + POST of each interview;
whatever is not accepted is sent again after the Retry-After the server asked for. Every answer
that is not a success must be a retryable 503 with Retry-After and an OpenRosa message Collect
shows; in the end every interview is stored once and processed once. Real PostgreSQL and Redis,
each private to the test; a worker process drains the queue throughout.
"""
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import pytest
import requests
from sqlalchemy import select

from server.infra.extensions import db
from server.models import Evaluation, Submission
from testkit.collect_client import CollectClient, parse_openrosa_message
from testkit.collect_wire import build_instance_xml
from testkit.factories import make_user

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
SUBMISSIONS, PHONES = 200, 8
PATIENCE = 0.5  # seconds at most that a test phone waits where Retry-After asks for more


@dataclass
class Traffic:
    """Every answer the phones got that was not a success, and how many of each request went out."""
    refusals: list = field(default_factory=list)
    sent: dict = field(default_factory=lambda: {"formList": 0, "submission": 0})
    accepted: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, response, *_args, **_kwargs):
        kind = "formList" if "/formList" in response.url else "submission"
        with self.lock:
            self.sent[kind] += 1
            if not 200 <= response.status_code < 300:
                self.refusals.append((response.request.method, kind, response.status_code,
                                      response.headers.get("Retry-After"),
                                      parse_openrosa_message(response.content),
                                      time.monotonic() - response.elapsed.total_seconds()))
        return response


def phone(cluster, traffic):
    client = CollectClient(cluster.collect_url)
    client.session.hooks["response"].append(traffic.record)
    return client


def wait_as_asked(response):
    asked = response.headers.get("Retry-After") if response is not None else None
    time.sleep(min(float(asked or 1), PATIENCE))


def sync(client, traffic, n):
    """One phone's work for interview `n`: refresh the form list, send the interview until accepted."""
    while True:
        listed = client.request("GET", client.server_url + "/formList")
        if listed.status_code == 200:
            break
        wait_as_asked(listed)
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = build_instance_xml("plain", "1", instance_id, {"q1": f"interview {n}"})
    while True:
        result = client.submit(xml)
        if result.ok and result.statuses and result.statuses[-1] in (201, 202):
            with traffic.lock:
                traffic.accepted.append((time.monotonic(), instance_id))
            return instance_id
        wait_as_asked(result.responses[-1] if result.responses else None)


def run_phones(cluster, traffic, fault, after):
    """Sync SUBMISSIONS interviews from PHONES phones; call `fault()` once `after` are accepted."""
    phones = [phone(cluster, traffic) for _ in range(PHONES)]
    with ThreadPoolExecutor(PHONES) as pool:
        futures = [pool.submit(sync, phones[n % PHONES], traffic, n) for n in range(SUBMISSIONS)]
        deadline = time.monotonic() + 120
        while len(traffic.accepted) < after and time.monotonic() < deadline:
            time.sleep(0.05)
        fault_started = time.monotonic()
        fault()
        fault_ended = time.monotonic()
        sent = [f.result(timeout=300) for f in futures]
    return sent, fault_started, fault_ended


def assert_only_retryable_refusals(traffic):
    for method, kind, status, retry_after, message, _sent_at in traffic.refusals:
        assert status == 503, (method, kind, status, message)
        assert retry_after and retry_after.isdigit(), (method, kind, retry_after)
        assert method == "HEAD" or message, (method, kind, "no OpenRosa message Collect could show")


def assert_stored_and_processed_once(cluster, sent):
    assert len(set(sent)) == SUBMISSIONS
    cluster.wait_until(lambda c: c[1] == SUBMISSIONS, limit=180)
    with cluster.app.app_context():
        stored = db.session.execute(select(Submission.instance_id)).scalars().all()
        db.session.remove()
    assert sorted(stored) == sorted(sent)  # each once: no loss, no duplicate
    total, once, more, done, failed = cluster.counts()
    assert (total, once, more, failed) == (SUBMISSIONS, SUBMISSIONS, 0, 0)


def test_postgresql_restarted_while_phones_sync(cluster):
    cluster.start_worker()
    traffic = Traffic()
    sent, _, ended = run_phones(cluster, traffic, cluster.pg.restart, after=SUBMISSIONS // 4)
    assert_only_retryable_refusals(traffic)
    assert any(at > ended for at, _ in traffic.accepted), "the restart did not happen mid-traffic"
    # Once the server is back, a pooled connection the restart killed is replaced, never answered 503.
    assert [r for r in traffic.refusals if r[5] > ended] == []
    assert traffic.sent["formList"] >= SUBMISSIONS
    assert_stored_and_processed_once(cluster, sent)


def test_the_database_down_for_20_seconds_while_phones_sync(cluster):
    cluster.start_worker()
    traffic = Traffic()

    def outage():
        cluster.pg.pause()
        time.sleep(20)
        cluster.pg.resume()

    sent, started, ended = run_phones(cluster, traffic, outage, after=SUBMISSIONS // 4)
    assert ended - started >= 20
    assert_only_retryable_refusals(traffic)
    refused = [r for r in traffic.refusals if r[2] == 503]
    assert {r[1] for r in refused} == {"formList", "submission"}, "both kinds were refused while it was down"
    assert any(at > ended for at, _ in traffic.accepted)
    assert [r for r in traffic.refusals if r[5] > ended] == []  # back up: no connection left dead
    assert_stored_and_processed_once(cluster, sent)


def signed_in_browser(cluster):
    """A supervisor's browser, signed in through the API (the dashboard reads the same session)."""
    with cluster.app.app_context():
        make_user("sup1", "supervisor", db.session.query(Evaluation).filter_by(code="faults").one())
        db.session.remove()
    browser = requests.Session()
    signed = browser.post(cluster.base_url + "/api/v1/session",
                          json={"username": "sup1", "password": "correct horse battery"})
    assert signed.status_code == 200, signed.text
    return browser


def api_and_dashboard(cluster, browser, n=8):
    """`n` API and `n` dashboard requests at once (so the pool holds that many connections)."""
    urls = [cluster.base_url + "/api/v1/evaluations", cluster.base_url + "/dashboard/faults/"] * n
    with ThreadPoolExecutor(len(urls)) as pool:
        return list(pool.map(lambda url: browser.get(url, headers={"Accept": "text/html"}, timeout=30), urls))


def test_the_api_and_the_dashboard_through_a_restart_and_an_outage(cluster):
    browser = signed_in_browser(cluster)
    assert {r.status_code for r in api_and_dashboard(cluster, browser)} == {200}

    cluster.pg.restart()  # every pooled connection is now dead: each is found so and replaced
    assert [r.status_code for r in api_and_dashboard(cluster, browser)] == [200] * 16

    cluster.pg.pause()
    try:
        answers = api_and_dashboard(cluster, browser, n=2)
        for answer in answers:
            assert answer.status_code == 503 and answer.headers["Retry-After"].isdigit()
        api, page = answers[0], answers[1]
        assert api.json()["code"] == "server.unavailable"
        assert page.headers["Content-Type"].startswith("text/html")
        assert "服务器暂时无法处理请求" in page.text and "暂时无法连接数据库" in page.text
    finally:
        cluster.pg.resume()
    assert [r.status_code for r in api_and_dashboard(cluster, browser)] == [200] * 16

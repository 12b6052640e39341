"""Webhooks against a real local receiver: deliveries made by the worker when interviews are checked and
reviewed, retried with back-off while the receiver fails, exactly one success per event, signatures checked
here by an independent implementation; disabling after repeated failures and enabling again; slow,
redirecting and flooding receivers cut off; bad subscriptions refused."""
import hashlib
import hmac
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import orjson
import pytest

from server.feed import webhooks
from server.infra.extensions import db
from server.models import WebhookDelivery, WebhookSubscription
from server.models.types import utcnow
from testkit.factories import make_enumerator, make_evaluation, make_user
from testkit.figures_factories import run_worker
from testkit.recusal_factories import (assign, at, interview_fields, make_households, publish_interview_form,
                                       submit)


class Receiver:
    """An HTTP receiver on a free loopback port: answers each POST with the next planned behaviour
    ("fail" 500, "unavailable" 503, "slow", "redirect", "huge", then "ok" 200 once the plan runs out)."""

    def __init__(self, plan=()):
        self.plan, self.requests, self.statuses = list(plan), [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                how = receiver.plan.pop(0) if receiver.plan else "ok"
                receiver.requests.append((self.path, dict(self.headers), body))
                receiver.statuses.append(receiver.answer(self, how))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks?key=receivers-own"

    @staticmethod
    def answer(handler, how):
        if how == "slow":
            time.sleep(2.5)
        status = {"fail": 500, "unavailable": 503, "redirect": 302}.get(how, 200)
        handler.send_response(status)
        if how == "redirect":
            handler.send_header("Location", "/elsewhere")
        size = 20 * 1024 * 1024 if how == "huge" else 2
        handler.send_header("Content-Length", str(size))
        handler.end_headers()
        try:
            for _ in range(size // 65536 or 1):
                handler.wfile.write(b"x" * min(size, 65536))
        except (BrokenPipeError, ConnectionResetError):
            pass  # fieldcheck stopped reading, as it should
        return status

    def successes(self, secret):
        """The deliveries answered 200, each with its signature checked here."""
        good = []
        for (path, headers, body), status in zip(self.requests, self.statuses):
            if status == 200:
                stamp, signature = (p.split("=", 1)[1] for p in headers["X-Fieldcheck-Signature"].split(","))
                expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
                assert hmac.compare_digest(signature, expected), "signature does not verify"
                assert abs(time.time() - int(stamp)) < 300
                good.append((headers["X-Fieldcheck-Delivery"], orjson.loads(body)))
        return good

    def close(self):
        self.server.shutdown()


@pytest.fixture
def county(app, client):
    evaluation = make_evaluation("county1")
    publish_interview_form(evaluation)
    enumerator, _ = make_enumerator(evaluation, "enum1", county="海淀区", county_code="110108")
    households = make_households(evaluation, 3)
    for household, _ in households:
        assign(evaluation, enumerator, household)
    make_user("boss", "admin", evaluation, password="pass-word-123")
    make_user("lead", "supervisor", evaluation, password="pass-word-123")
    db.session.commit()
    return {"evaluation": evaluation, "enumerator": enumerator, "households": households}


def sign_in(client, username):
    answer = client.post("/api/v1/session", json={"username": username, "password": "pass-word-123"})
    assert answer.status_code in (200, 201), answer.get_json()
    return {"X-CSRF-Token": answer.get_json()["csrf_token"]}


def subscribe(client, url, events=("interview.checked", "interview.reviewed")):
    answer = client.post("/api/v1/evaluations/county1/webhooks", json={"url": url, "events": list(events)},
                         headers=sign_in(client, "boss"))
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def interview(county, i, **kwargs):
    household, token = county["households"][i]
    fields = interview_fields(token, household, start=at(8 + 2 * i, 0), **kwargs)
    return submit(county["evaluation"], county["enumerator"], fields).instance_id


def rounds(evaluation_id, count, start=None):
    """`count` delivery rounds, each an hour after the last (past any back-off)."""
    now = start or utcnow()
    for _ in range(count):
        now += timedelta(hours=1)
        webhooks.deliver_round(evaluation_id, db.session.commit, now=now)
    return now


def test_failed_deliveries_are_retried_and_each_event_arrives_once_signed(app, client, county):
    receiver = Receiver(["fail", "fail", "fail"])
    subscription = subscribe(client, receiver.url)
    first, second = interview(county, 0), interview(county, 1, minutes=9)
    run_worker()  # checks both; owes two deliveries; the first attempt fails

    row = db.session.get(WebhookSubscription, subscription["id"])
    assert row.consecutive_failures == 1 and row.retry_at > utcnow()
    assert webhooks.request_due(now=row.retry_at + timedelta(seconds=1)) == 1  # the relay asks again
    rounds(county["evaluation"].id, 3)
    assert receiver.statuses == [500, 500, 500, 200, 200]

    delivered = receiver.successes(subscription["secret"])
    assert [d[1]["interview"]["instance_id"] for d in delivered] == [first, second]  # oldest first
    assert [d[1]["event"] for d in delivered] == ["interview.checked"] * 2
    assert len({d[0] for d in delivered}) == 2 and len(receiver.requests) == 5  # once each, nothing more
    assert delivered[1][1]["interview"]["status"] == "review"
    assert receiver.requests[0][0] == "/hooks?key=receivers-own"

    log = client.get(f"/api/v1/evaluations/county1/webhooks/{subscription['id']}/deliveries").get_json()
    by_interview = {d["attempts"]: d for d in log}
    assert sorted(by_interview) == [1, 4] and {d["state"] for d in log} == {"delivered"}
    assert [a["status"] for a in by_interview[4]["log"]] == [500, 500, 500, 200]


def test_a_decision_is_delivered_as_it_was_when_made(app, client, county):
    receiver = Receiver()
    subscription = subscribe(client, receiver.url, events=("interview.reviewed",))
    flagged = interview(county, 0, minutes=9)
    run_worker()
    assert receiver.requests == []  # not subscribed to interview.checked
    decided = client.post(f"/api/v1/evaluations/county1/submissions/{flagged}/review",
                          json={"decision": "clear", "reason": "户主只有十分钟，已电话核实，记录在案。"},
                          headers=sign_in(client, "lead"))
    assert decided.status_code == 201
    run_worker()
    assert receiver.statuses == [200]
    (_, payload), = receiver.successes(subscription["secret"])
    assert payload["event"] == "interview.reviewed" and payload["interview"]["status"] == "cleared"
    assert payload["interview"]["decisions"][0]["reason"].startswith("户主只有十分钟")
    stored = db.session.query(WebhookDelivery).one()
    assert stored.payload["interview"]["status"] == "cleared"


def test_a_receiver_that_keeps_failing_is_disabled_and_nothing_is_lost(app, client, county):
    app.config["WEBHOOK_MAX_FAILURES"] = 3
    receiver = Receiver(["unavailable"] * 3)
    subscription = subscribe(client, receiver.url)
    interview(county, 0)
    run_worker()                                  # failure 1
    now = rounds(county["evaluation"].id, 4)      # failures 2 and 3, then nothing: it is disabled
    assert len(receiver.requests) == 3
    row = db.session.get(WebhookSubscription, subscription["id"])
    assert not row.active and "3 attempts failed in a row" in row.disabled_reason
    assert "answered 503" in row.disabled_reason
    assert db.session.query(WebhookDelivery).filter_by(state="pending").count() == 1  # kept

    enabled = client.post(f"/api/v1/evaluations/county1/webhooks/{subscription['id']}/enable",
                          headers=sign_in(client, "boss"))
    assert enabled.status_code == 200 and enabled.get_json()["active"]
    rounds(county["evaluation"].id, 1, start=now)
    assert receiver.statuses == [503, 503, 503, 200]
    assert len(receiver.successes(subscription["secret"])) == 1


@pytest.mark.parametrize("how, error", [("slow", "Timeout"), ("redirect", "a redirect; not followed"),
                                        ("huge", None)])
def test_slow_redirecting_and_flooding_receivers_are_cut_off(app, client, county, monkeypatch, how, error):
    monkeypatch.setattr(webhooks, "TIMEOUT", (1, 1))
    receiver = Receiver([how])
    subscribe(client, receiver.url)
    interview(county, 0)
    started = time.monotonic()
    run_worker()
    assert time.monotonic() - started < 30
    delivery = db.session.query(WebhookDelivery).one()
    if error is None:
        assert delivery.state == "delivered"  # 2xx: delivered, however much the receiver sends back
    else:
        assert delivery.state == "pending" and error in delivery.last_error
    assert "receivers-own" not in (delivery.last_error or "")  # the URL's query is never logged
    assert [r[0] for r in receiver.requests] == ["/hooks?key=receivers-own"]  # the redirect not followed


@pytest.mark.parametrize("body, field", [
    ({"url": "ftp://archive.example.cn/x", "events": ["interview.checked"]}, "url"),
    ({"url": "https://user:secret@archive.example.cn/x", "events": ["interview.checked"]}, "url"),
    ({"url": "https://archive.example.cn/x", "events": []}, "events"),
])
def test_bad_subscriptions_are_refused_with_the_field(client, county, body, field):
    answer = client.post("/api/v1/evaluations/county1/webhooks", json=body, headers=sign_in(client, "boss"))
    assert answer.status_code == 422
    assert field in str(answer.get_json()["details"])


def test_only_admins_of_the_evaluation_manage_webhooks(client, county):
    body = {"url": "https://archive.example.cn/x", "events": ["interview.checked"]}
    refused = client.post("/api/v1/evaluations/county1/webhooks", json=body, headers=sign_in(client, "lead"))
    assert refused.status_code == 403
    other = make_evaluation("county2")
    make_user("stranger", "admin", other, password="pass-word-123")
    answer = client.post("/api/v1/evaluations/county1/webhooks", json=body,
                         headers=sign_in(client, "stranger"))
    assert answer.status_code == 404

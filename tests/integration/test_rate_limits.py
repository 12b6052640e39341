"""Rate limits on sign-in, tokens and submissions, per client address and per account (Flask-Limiter on
Redis): each answers 429 with Retry-After in its surface's format, counts what it should (failed sign-ins,
not good ones), and steps aside when Redis is away so no submission is refused for want of a counter."""
import pytest
import redis
from lxml import etree

from server.infra.extensions import db
from server.infra.rate_limits import limiter
from server.models import Submission
from testkit.factories import make_user
from testkit.openrosa_factories import PLAIN, instance, publish, setup_evaluation
from tests.integration.dashboard.helpers import csrf
from tests.integration.openrosa.conftest import post

PASSWORD = "pass-word-123"
NS = "{http://openrosa.org/http/response}"


@pytest.fixture
def limits(app):
    app.config.update(RATE_LIMIT_SIGN_IN_ACCOUNT="3/minute", RATE_LIMIT_SIGN_IN_ADDRESS="5/minute",
                      RATE_LIMIT_TOKENS_ACCOUNT="2/minute", RATE_LIMIT_SUBMISSIONS_ACCOUNT="2/minute")
    return app


def _sign_in(client, username, password):
    return client.post("/api/v1/session", json={"username": username, "password": password})


def test_failed_sign_ins_are_limited_per_account_and_good_ones_are_not_counted(limits, client):
    evaluation, _, _ = setup_evaluation()
    make_user("boss", "admin", evaluation, password=PASSWORD)
    db.session.commit()
    for _ in range(5):  # good sign-ins never count
        assert _sign_in(client, "boss", PASSWORD).status_code == 200
    assert [_sign_in(client, "boss", "wrong").status_code for _ in range(3)] == [401, 401, 401]
    refused = _sign_in(client, "boss", PASSWORD)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["code"] == "http.429"
    # another account from the same address still signs in (the address limit is 5 failures)
    make_user("other", "viewer", evaluation, password=PASSWORD)
    db.session.commit()
    assert _sign_in(client, "other", PASSWORD).status_code == 200


def test_failed_sign_ins_are_limited_per_address_across_accounts(limits, client):
    answers = [_sign_in(client, f"guess{i}", "wrong").status_code for i in range(6)]
    assert answers == [401] * 5 + [429]
    page = client.get("/login")
    refused = client.post("/login", data={"username": "guess9", "password": "x", "csrf_token": csrf(page)})
    assert refused.status_code == 429 and "Retry-After" in refused.headers
    assert "<html" in refused.get_data(as_text=True).lower()  # the dashboard's own page, not JSON


def test_an_enumerators_token_rotations_are_limited(limits, client):
    evaluation, _, _ = setup_evaluation()
    make_user("boss", "admin", evaluation, password=PASSWORD)
    db.session.commit()
    headers = {"X-CSRF-Token": _sign_in(client, "boss", PASSWORD).get_json()["csrf_token"]}
    url = "/api/v1/evaluations/county1/enumerators/enum1/token"
    assert [client.post(url, headers=headers).status_code for _ in range(3)] == [200, 200, 429]


def test_submissions_are_limited_per_enumerator_with_a_message_collect_shows(limits, client):
    evaluation, _, token = setup_evaluation()
    publish(evaluation, PLAIN, form_id="plain")
    url = f"/key/{token}/county1/submission"
    answers = [post(client, url, instance("plain")[1]) for _ in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    refused = answers[-1]
    assert int(refused.headers["Retry-After"]) > 0
    root = etree.fromstring(refused.data)
    assert root.tag == f"{NS}OpenRosaResponse" and root.find(f"{NS}message").text
    assert db.session.query(Submission).count() == 2
    assert client.head(url).status_code == 204  # Collect's preflight is not counted


def test_without_redis_the_limits_step_aside(limits, client, monkeypatch):
    evaluation, _, token = setup_evaluation()
    publish(evaluation, PLAIN, form_id="plain")
    limits.config["RATE_LIMIT_SUBMISSIONS_ACCOUNT"] = "1/minute"
    # the counters' Redis is a port where nothing listens
    monkeypatch.setattr(limiter.storage, "storage", redis.Redis.from_url("redis://127.0.0.1:9/0"))
    url = f"/key/{token}/county1/submission"
    assert [post(client, url, instance("plain")[1]).status_code for _ in range(3)] == [201, 201, 201]
    assert db.session.query(Submission).count() == 3

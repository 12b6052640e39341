"""Token-in-URL (403 for anything wrong, never 401) and Digest (401 + challenge; Basic over https)."""
import base64

import pytest
from sqlalchemy import text

from server import create_app
from server.infra.database import autocommit_engine
from server.infra.extensions import db
from testkit.collect_wire import DigestState
from tests.integration.openrosa.conftest import message_of
from testkit.openrosa_factories import PASSWORD, deactivate, rotate
from testkit.factories import make_enumerator, make_evaluation


@pytest.mark.parametrize("path", ["/formList", "/submission", "/forms/household.xml"])
def test_bad_token_is_403_with_a_message(client, world, path):
    answer = client.get(f"/key/not-a-token/{world.evaluation.code}{path}")
    assert answer.status_code == 403 and "WWW-Authenticate" not in answer.headers
    assert message_of(answer)[0] == "error"
    assert answer.headers["X-OpenRosa-Version"] == "1.0"


def test_rotated_token_stops_working(client, world):
    new = rotate(world.enumerator)
    assert client.get(world.base + "/formList").status_code == 403
    assert client.get(f"/key/{new}/{world.evaluation.code}/formList").status_code == 200


def test_inactive_enumerator_is_403(client, world):
    deactivate(world.enumerator)
    answer = client.get(world.base + "/formList")
    assert answer.status_code == 403 and "未启用" in message_of(answer)[1]


def test_token_of_another_evaluation_is_403(client, world):
    other = make_evaluation("county2")
    _, token = make_enumerator(other, username="e2")
    assert client.get(f"/key/{token}/{world.evaluation.code}/formList").status_code == 403


def test_password_mode_challenges_with_digest_only_over_http(client, world):
    answer = client.get(f"/{world.evaluation.code}/formList")
    assert answer.status_code == 401
    challenges = answer.headers.getlist("WWW-Authenticate")
    assert len(challenges) == 1 and challenges[0].startswith("Digest ")
    assert 'qop="auth"' in challenges[0] and 'realm="fieldcheck"' in challenges[0]
    assert message_of(answer)[0] == "error"


def _digest(client, url, username="enum1", password=PASSWORD, method="GET"):
    first = client.open(url, method=method)
    params = dict(p.strip().split("=", 1) for p in first.headers["WWW-Authenticate"][7:].split(", "))
    state = DigestState({k: v.strip('"') for k, v in params.items()})
    return client.open(url, method=method,
                       headers={"Authorization": state.authorization(method, "http://localhost" + url,
                                                                     username, password)})


def test_digest_credentials_are_accepted(client, world):
    answer = _digest(client, f"/{world.evaluation.code}/formList?deviceID=collect:x")
    assert answer.status_code == 200


def test_wrong_digest_password_is_401_again(client, world):
    assert _digest(client, f"/{world.evaluation.code}/formList", password="wrong").status_code == 401


def test_inactive_enumerator_with_right_password_is_403(client, world):
    deactivate(world.enumerator)
    assert _digest(client, f"/{world.evaluation.code}/formList").status_code == 403


def test_unknown_evaluation_in_password_mode_is_404(client, world):
    answer = client.get("/nowhere/formList")
    assert answer.status_code == 404 and message_of(answer)[0] == "error"


def _basic(username="enum1", password=PASSWORD):
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


def test_basic_over_plain_http_is_refused(client, world):
    answer = client.get(f"/{world.evaluation.code}/formList", headers={"Authorization": _basic()})
    assert answer.status_code == 401


def test_forwarded_proto_is_ignored_without_proxy_fix(client, world):
    headers = {"Authorization": _basic(), "X-Forwarded-Proto": "https"}
    assert client.get(f"/{world.evaluation.code}/formList", headers=headers).status_code == 401


def test_basic_over_https_behind_a_trusted_proxy(world, app):
    proxied = create_app({**app.config, "PROXY_FIX": 1, "INSTANCE_PATH": app.instance_path})
    client = proxied.test_client()
    url = f"/{world.evaluation.code}/formList"
    challenge = client.get(url, headers={"X-Forwarded-Proto": "https"})
    assert any(v.startswith("Basic ") for v in challenge.headers.getlist("WWW-Authenticate"))
    answer = client.get(url, headers={"Authorization": _basic(), "X-Forwarded-Proto": "https"})
    assert answer.status_code == 200
    wrong = client.get(url, headers={"Authorization": _basic(password="nope"), "X-Forwarded-Proto": "https"})
    assert wrong.status_code == 401


def test_a_dead_point_read_connection_is_replaced_without_an_error(app, client, world):
    """The database restarted under the web process: the next request reconnects, no 500."""
    assert client.head(world.base + "/submission").status_code == 204  # the pool now holds a connection
    if app.extensions["sqlalchemy"].engine.dialect.name != "postgresql":
        pytest.skip("terminating a backend needs PostgreSQL")
    with autocommit_engine().connect() as reads:
        pid = reads.execute(text("SELECT pg_backend_pid()")).scalar()
    with db.engine.connect() as admin:
        admin.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    assert client.head(world.base + "/submission").status_code == 204
    assert client.get(world.base + "/formList").status_code == 200

"""Sessions end on the server: an old cookie is refused after sign-out, a password change,
deactivation, "sign out everywhere" and an idle time, through the API and the CLI."""
import re
import time

import pytest

from server import sessions
from testkit.factories import make_evaluation, make_user

PASSWORD = "correct horse battery"
NEW_PASSWORD = "a much better passphrase"


@pytest.fixture
def people(app):
    county = make_evaluation("county1")
    make_user("sup1", "supervisor", county)
    make_user("root", "admin", None)
    return county


def sign_in(client, username, password=PASSWORD):
    response = client.post("/api/v1/session", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return {"X-CSRF-Token": response.json["csrf_token"]}


def cookie(client):
    return client.get_cookie("session").value


def with_cookie(app, value):
    """Another browser that holds a copy of `value` (a stolen or kept cookie)."""
    other = app.test_client()
    other.set_cookie("session", value)
    return other


def works(client):
    return client.get("/api/v1/evaluations").status_code == 200


def refused(client):
    response = client.get("/api/v1/evaluations")
    return response.status_code == 401 and response.json["code"] == "auth.required"


def test_an_old_cookie_is_refused_after_sign_out(app, client, people):
    headers = sign_in(client, "sup1")
    kept = cookie(client)
    assert works(with_cookie(app, kept))
    assert client.delete("/api/v1/session", headers=headers).status_code == 204
    assert refused(client)
    assert refused(with_cookie(app, kept))


def test_signing_in_again_starts_a_new_session_not_the_old_one(app, client, people):
    sign_in(client, "sup1")
    first = cookie(client)
    headers = sign_in(client, "sup1")
    assert cookie(client) != first
    client.delete("/api/v1/session", headers=headers)
    assert works(with_cookie(app, first))  # the other sign-in (another browser) is not touched


def test_a_password_change_ends_every_other_session_and_renews_this_one(app, client, people):
    elsewhere = app.test_client()
    sign_in(elsewhere, "sup1")
    headers = sign_in(client, "sup1")
    kept = cookie(client)
    wrong = client.put("/api/v1/session/password", headers=headers,
                       json={"current_password": "not my password", "new_password": NEW_PASSWORD})
    assert wrong.status_code == 401 and works(elsewhere)
    changed = client.put("/api/v1/session/password", headers=headers,
                         json={"current_password": PASSWORD, "new_password": NEW_PASSWORD})
    assert changed.status_code == 200 and changed.json["csrf_token"] != headers["X-CSRF-Token"]
    assert refused(elsewhere) and refused(with_cookie(app, kept))
    assert works(client)
    # the new CSRF token goes with the new session; the old one no longer does
    body = {"name": "archive", "scope": "read"}
    assert client.post("/api/v1/evaluations/county1/tokens", json=body, headers=headers).status_code == 403
    assert client.post("/api/v1/session", json={"username": "sup1", "password": PASSWORD}).status_code == 401
    sign_in(app.test_client(), "sup1", NEW_PASSWORD)


def test_a_password_set_from_the_cli_ends_the_sessions(app, client, runner, people, monkeypatch):
    sign_in(client, "sup1")
    monkeypatch.setenv("FIELDCHECK_PASSWORD", NEW_PASSWORD)
    result = runner.invoke(args=["users", "password", "sup1"])
    assert result.exit_code == 0, result.output
    assert refused(client)
    sign_in(app.test_client(), "sup1", NEW_PASSWORD)


def test_deactivation_ends_the_sessions_at_once(app, client, people):
    sign_in(client, "sup1")
    kept = cookie(client)
    admin = app.test_client()
    headers = sign_in(admin, "root")
    response = admin.post("/api/v1/users/sup1/deactivate", headers=headers)
    assert response.status_code == 200 and response.json == {"username": "sup1", "active": False}
    assert refused(client) and refused(with_cookie(app, kept))
    denied = app.test_client().post("/api/v1/session", json={"username": "sup1", "password": PASSWORD})
    assert denied.status_code == 401


def test_only_a_site_admin_deactivates(app, client, people):
    headers = sign_in(client, "sup1")
    response = client.post("/api/v1/users/root/deactivate", headers=headers)
    assert response.status_code == 403 and works(client)


def test_deactivation_from_the_cli(app, client, runner, people):
    sign_in(client, "sup1")
    result = runner.invoke(args=["users", "deactivate", "sup1"])
    assert result.exit_code == 0, result.output
    assert refused(client)


def test_sign_out_everywhere_by_an_admin_by_oneself_and_from_the_cli(app, runner, people):
    browsers = [app.test_client() for _ in range(3)]
    for browser in browsers:
        sign_in(browser, "sup1")
    admin = app.test_client()
    admin_headers = sign_in(admin, "root")
    response = admin.delete("/api/v1/users/sup1/sessions", headers=admin_headers)
    assert response.status_code == 200 and response.json == {"ended": 3}
    assert all(refused(b) for b in browsers) and works(admin)

    own = app.test_client()
    headers = sign_in(own, "sup1")
    assert own.delete("/api/v1/users/root/sessions", headers=headers).status_code == 403
    assert works(admin)
    assert own.delete("/api/v1/users/sup1/sessions", headers=headers).json == {"ended": 1}
    assert refused(own)

    sign_in(own, "sup1")
    result = runner.invoke(args=["users", "sign-out-everywhere", "sup1"])
    assert result.exit_code == 0 and "ended 1 session" in result.output
    assert refused(own)
    unknown = runner.invoke(args=["users", "sign-out-everywhere", "nobody"])
    assert unknown.exit_code != 0 and "user.not_found" in unknown.output


def test_a_session_idle_too_long_is_over(app, client, people, monkeypatch):
    app.config["SESSION_IDLE_MINUTES"] = 30
    sign_in(client, "sup1")
    now = time.time()
    monkeypatch.setattr(sessions.time, "time", lambda: now + 29 * 60)
    assert works(client)  # used within the idle time: the timer starts again
    monkeypatch.setattr(sessions.time, "time", lambda: now + 58 * 60)
    assert works(client)
    monkeypatch.setattr(sessions.time, "time", lambda: now + 89 * 60)
    assert refused(client)


def test_a_session_ends_after_its_lifetime_even_in_use(app, client, people, monkeypatch):
    app.config["SESSION_MAX_HOURS"] = 1
    sign_in(client, "sup1")
    now = time.time()
    for minutes in (20, 40, 59):
        monkeypatch.setattr(sessions.time, "time", lambda m=minutes: now + m * 60)
        assert works(client)
    monkeypatch.setattr(sessions.time, "time", lambda: now + 61 * 60)
    assert refused(client)


def test_a_cookie_from_before_the_session_mechanism_is_refused(app, client, people):
    """A signed cookie naming a user but no server-side session (as issued before) counts for nothing."""
    with client.session_transaction() as flask_session:
        flask_session.update(user_id=1, csrf="x")
    assert refused(client)


def test_the_dashboard_ends_sessions_the_same_way(app, client, people):
    """Signed in and out through the dashboard's own forms: a kept copy of the cookie opens neither
    the dashboard nor the API afterwards; deactivation by an admin ends a dashboard session too."""
    assert dashboard_sign_in(client, "sup1").status_code == 302
    kept = cookie(client)
    assert on_dashboard(with_cookie(app, kept)) and works(with_cookie(app, kept))
    assert client.post("/logout", data={"csrf_token": dashboard_csrf(client, "/")}).status_code == 302
    assert not on_dashboard(with_cookie(app, kept)) and refused(with_cookie(app, kept))

    browser = app.test_client()
    dashboard_sign_in(browser, "sup1")
    kept = cookie(browser)
    admin = app.test_client()
    assert admin.post("/api/v1/users/sup1/deactivate", headers=sign_in(admin, "root")).status_code == 200
    assert not on_dashboard(browser) and not on_dashboard(with_cookie(app, kept))


def on_dashboard(client):
    """Whether the client sees the evaluation's overview (not sent to sign in)."""
    answer = client.get("/dashboard/county1/")
    assert answer.status_code == 200 or answer.headers["Location"].startswith("/login")
    return answer.status_code == 200


def dashboard_csrf(client, page):
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True)).group(1)


def dashboard_sign_in(client, username, password=PASSWORD):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": dashboard_csrf(client, "/login"), "next": "/"})

"""Signing in and out, lockout (the API's sign-in too), CSRF, safe redirects, headers and cookies, escaping,
decisions made meanwhile, and error pages without a stack trace."""
import pytest

from server.infra.extensions import db
from server.models import AuditEntry, Submission, User
from testkit.dashboard_world import PASSWORD, build_world
from testkit.factories import make_evaluation, make_user
from tests.integration.dashboard.helpers import csrf, session_csrf, sign_in


@pytest.fixture
def people(app):
    evaluation = make_evaluation("county1")
    return make_user("sup1", "supervisor", evaluation)


def test_wrong_password_and_unknown_user_get_the_same_answer(people, client):
    wrong = sign_in(client, "sup1", "not the password")
    unknown = sign_in(client, "nobody", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "用户名或密码错误。" in wrong.get_data(as_text=True) and "用户名或密码错误。" in \
        unknown.get_data(as_text=True)


def test_lockout_after_five_failures_is_shown_and_holds_for_the_api_too(people, client):
    for _ in range(4):
        assert sign_in(client, "sup1", "not the password").status_code == 401
    locked = sign_in(client, "sup1", "not the password")
    assert locked.status_code == 429 and "锁定 15 分钟" in locked.get_data(as_text=True)
    assert sign_in(client, "sup1").status_code == 429  # even the right password
    api = client.post("/api/v1/session", json={"username": "sup1", "password": PASSWORD})
    assert api.status_code == 429 and api.get_json()["code"] == "auth.locked"
    assert db.session.query(AuditEntry).filter_by(action="session.locked").count() == 1


def test_a_success_resets_the_count_and_the_api_counts_failures_too(people, client):
    for _ in range(4):
        client.post("/api/v1/session", json={"username": "sup1", "password": "wrong one"})
    assert sign_in(client, "sup1").status_code == 302
    db.session.expire_all()
    assert db.session.query(User).filter_by(username="sup1").one().failed_logins == 0


@pytest.mark.parametrize("target,landing", [
    ("/dashboard/county1/interviews?status=review", "/dashboard/county1/interviews?status=review"),
    ("//evil.example/x", "/"), ("https://evil.example/", "/"), ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"),
])
def test_only_a_local_path_is_followed_after_signing_in(people, client, target, landing):
    assert sign_in(client, "sup1", next_path=target).headers["Location"] == landing


def test_a_signed_out_visitor_is_sent_to_sign_in_and_back(people, client):
    answer = client.get("/dashboard/county1/figures?level=village")
    assert answer.status_code == 302
    assert answer.headers["Location"] == "/login?next=/dashboard/county1/figures?level%3Dvillage"


def test_sign_in_without_the_csrf_token_is_refused(people, client):
    answer = client.post("/login", data={"username": "sup1", "password": PASSWORD})
    assert answer.status_code == 403 and "表单已过期" in answer.get_data(as_text=True)


def test_sign_out_ends_the_session(people, client):
    sign_in(client, "sup1")
    assert client.get("/").status_code == 200
    client.post("/logout", data={"csrf_token": session_csrf(client)})
    assert client.get("/").status_code == 302


def test_headers_and_cookies(people, client, app):
    page = client.get("/login")
    assert page.headers["Content-Security-Policy"].startswith("default-src 'self'")
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY" and page.headers["X-Content-Type-Options"] == "nosniff"
    assert page.headers["Referrer-Policy"] == "same-origin"
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    secure = client.get("/login", base_url="https://fieldcheck.test")
    assert "Secure" in secure.headers["Set-Cookie"]
    assert "<script>" not in page.get_data(as_text=True).replace('<script src="/static/', "")


def test_a_review_without_csrf_or_on_a_stale_page_changes_nothing(app, client):
    world = build_world(app)
    sign_in(client, "sup1")
    url = f"/dashboard/county1/interviews/{world['flagged']}"
    token = csrf(client.get(url))
    refused = client.post(url + "/review",
                          data={"action": "clear", "reason": "phoned the household", "seen": 0})
    assert refused.status_code == 403
    assert client.post(url + "/review", data={"action": "clear", "reason": "phoned the household, fine",
                                              "seen": 0, "csrf_token": token}).status_code == 302
    stale = client.post(url + "/review", data={"action": "exclude", "reason": "GPS is far from the house",
                                               "seen": 0, "csrf_token": token}, follow_redirects=True)
    assert "另一位督导已对这份访谈作出决定" in stale.get_data(as_text=True)
    db.session.expire_all()
    flagged = db.session.query(Submission).filter_by(instance_id=world["flagged"]).one()
    assert flagged.review_status == "cleared"


def test_answers_are_escaped(app, client):
    world = build_world(app)
    sign_in(client, "sup1")
    page = client.get(f"/dashboard/county1/interviews/{world['hostile']}").get_data(as_text=True)
    assert "<script>window.__xss" not in page and "&lt;script&gt;window.__xss" in page


def test_error_pages_are_in_the_layout_without_a_stack_trace(people, client, app):
    sign_in(client, "sup1")
    missing = client.get("/dashboard/county1/interviews/uuid:nope")
    assert missing.status_code == 404 and "这份访谈" in missing.get_data(as_text=True)
    unknown = client.get("/no/such/page", headers={"Accept": "text/html"})
    assert unknown.status_code == 404 and "页面不存在" in unknown.get_data(as_text=True)
    assert client.get("/api/v1/no-such").get_json()["code"] == "http.404"  # the API stays JSON

    def broken(**kwargs):
        raise RuntimeError("secret internals")

    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.view_functions["dashboard.enumerators_page"] = broken
    failed = client.get("/dashboard/county1/enumerators")
    body = failed.get_data(as_text=True)
    assert failed.status_code == 500 and "服务器出错了" in body
    assert "secret internals" not in body and "Traceback" not in body

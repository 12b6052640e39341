"""The Users and roles page and the audit log, through the dashboard's own forms: a password shown once, a
double click that does one thing, roles that change what someone may do at their next request, sessions
that end on a reset or a deactivation, messages next to the field in the page's language, the log filtered
and paged."""
import re
from urllib.parse import unquote
from datetime import datetime, timezone

from server.accounts import audit
from server.dashboard import once
from server.infra.extensions import db
from server.models import AuditEntry, Membership, User
from testkit.dashboard_world import build_world
from testkit.factories import make_user
from tests.integration.dashboard.helpers import sign_in
from tests.integration.dashboard.html_forms import form

USERS = "/dashboard/county1/users"
ENGLISH = {"Accept-Language": "en"}


def _admin(app, client):
    """An admin of county1 (not a site admin), signed in."""
    world = build_world(app)
    make_user("boss", "admin", world["evaluation"])
    assert sign_in(client, "boss").status_code == 302
    return world


def _post(client, action, page=USERS, **changes):
    fields = form(client.get(page).get_data(as_text=True), action)
    for name, value in changes.items():
        fields.setlist(name, [value])
    return client.post(action, data=fields)


def test_a_new_user_gets_a_password_shown_once_that_signs_in(app, client):
    _admin(app, client)
    answer = _post(client, USERS, username="li.na", display_name="李娜", role="viewer")
    assert answer.status_code == 302 and "/users/new-password/" in answer.headers["Location"]
    shown = client.get(answer.headers["Location"])
    assert shown.status_code == 200 and shown.headers["Cache-Control"] == "no-store"
    password = re.search(r'<code id="new-password">([^<]+)</code>', shown.get_data(as_text=True)).group(1)
    assert "密码只显示这一次" in shown.get_data(as_text=True)
    again = client.get(answer.headers["Location"])
    assert again.status_code == 410 and password not in again.get_data(as_text=True)
    other = app.test_client()
    assert sign_in(other, "li.na", password).status_code == 302
    assert other.get("/dashboard/county1/").status_code == 200
    assert other.get(USERS).status_code == 403  # a viewer
    entry = db.session.query(AuditEntry).filter_by(action="user.create").order_by(AuditEntry.id.desc())[0]
    assert entry.actor == "user:boss" and entry.details == {"username": "li.na", "role": "viewer"}


def test_a_double_click_adds_one_user_and_still_shows_the_password(app, client):
    _admin(app, client)
    fields = form(client.get(USERS).get_data(as_text=True), USERS)
    fields.setlist("username", ["zhou"])
    first, second = client.post(USERS, data=fields), client.post(USERS, data=fields)
    assert second.status_code == 302 and second.headers["Location"] == first.headers["Location"]
    assert db.session.query(User).filter_by(username="zhou").count() == 1
    created = db.session.query(AuditEntry).filter_by(action="user.create", target=f"user:{_id('zhou')}")
    assert created.count() == 1
    # the browser follows the second answer only: the password is still there to be shown, once
    assert client.get(second.headers["Location"]).status_code == 200


def test_a_repeat_while_the_first_is_still_being_done_goes_back_and_does_nothing(app, client, monkeypatch):
    _admin(app, client)
    fields = form(client.get(USERS).get_data(as_text=True), USERS)
    fields.setlist("username", ["slow"])
    monkeypatch.setattr(once, "WAIT", 0.3)
    app.extensions["rq"].connection.set(f"fieldcheck:once:{_id('boss')}:{USERS}:{fields['once']}", "pending")
    answer = client.post(USERS, data=fields, headers={"Referer": "http://localhost" + USERS})
    assert answer.status_code == 303 and answer.headers["Location"] == "http://localhost" + USERS
    assert db.session.query(User).filter_by(username="slow").count() == 0


def test_a_bad_username_is_refused_next_to_its_field_in_the_pages_language(app, client):
    _admin(app, client)
    answer = _post(client, USERS, username="Li Na!")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="new-username-error">用户名为 2 至 80 个小写字母', page)
    assert 'value="Li Na!"' in page and 'aria-invalid="true"' in page
    empty = client.post(USERS, data=form(client.get(USERS, headers=ENGLISH).get_data(as_text=True), USERS),
                        headers=ENGLISH)
    assert empty.status_code == 422
    assert 'id="new-username-error">Enter a username.' in empty.get_data(as_text=True)
    taken = _post(client, USERS, username="view1")
    assert taken.status_code == 422 and "该用户在本评估中已有角色" in taken.get_data(as_text=True)
    assert db.session.query(User).filter_by(username="Li Na!").count() == 0


def test_a_role_change_applies_at_the_next_request_and_is_audited(app, client):
    world = _admin(app, client)
    viewer = app.test_client()
    sign_in(viewer, "view1")
    url = f"/dashboard/county1/interviews/{world['flagged']}"
    assert 'id="read-only"' in viewer.get(url).get_data(as_text=True)
    action = f"{USERS}/view1/role"
    answer = _post(client, action, role="supervisor")
    assert answer.status_code == 302
    assert "已更改 view1 的角色" in client.get(answer.headers["Location"]).get_data(as_text=True)
    # the same session, now a supervisor's
    assert 'id="read-only"' not in viewer.get(url).get_data(as_text=True)
    entry = db.session.query(AuditEntry).filter_by(action="member.role").one()
    assert entry.details == {"username": "view1", "before": "viewer", "after": "supervisor"}
    assert entry.evaluation_id == world["evaluation"].id


def test_a_reset_or_a_deactivation_ends_their_sessions(app, client):
    _admin(app, client)
    supervisor, viewer = app.test_client(), app.test_client()
    sign_in(supervisor, "sup1")
    sign_in(viewer, "view1")
    reset = _post(client, f"{USERS}/sup1/password")
    page = client.get(reset.headers["Location"]).get_data(as_text=True)
    new = re.search(r'<code id="new-password">([^<]+)</code>', page).group(1)
    assert "/login" in supervisor.get("/dashboard/county1/").headers["Location"]
    assert sign_in(app.test_client(), "sup1").status_code == 401  # the old password
    assert sign_in(app.test_client(), "sup1", new).status_code == 302
    deactivated = _post(client, f"{USERS}/view1/deactivate")
    assert "已停用 view1" in client.get(deactivated.headers["Location"]).get_data(as_text=True)
    assert "/login" in viewer.get("/dashboard/county1/").headers["Location"]
    assert sign_in(app.test_client(), "view1").status_code == 401
    row = client.get(USERS).get_data(as_text=True).split('data-username="view1"')[1].split("</tr>")[0]
    assert "已停用" in row and "启用" in row


def test_nobody_changes_their_own_role_a_site_admins_or_someone_elses_elsewhere(app, client):
    world = _admin(app, client)
    page = client.get(USERS).get_data(as_text=True)
    own = page.split('data-username="boss"')[1].split("</tr>")[0]
    assert "<form" not in own  # no button to press
    refused = client.post(f"{USERS}/boss/role", data={**form(page, f"{USERS}/view1/role"), "role": "viewer"})
    assert "不能在此更改您自己的角色" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert db.session.query(Membership.role).filter_by(user_id=_id("boss")).scalar() == "admin"
    assert client.post(f"{USERS}/other1/role", data=form(page, f"{USERS}/view1/role")).status_code == 404
    # a supervisor of another evaluation added here may not be reset by this evaluation's admin
    _post(client, USERS, username="other1", role="viewer")
    refused = _post(client, f"{USERS}/other1/password")
    assert "该用户还属于您不管理的评估" in client.get(refused.headers["Location"]).get_data(as_text=True)
    assert world["other"].code == "other"


def test_the_nav_shows_users_and_settings_to_admins_only(app, client):
    _admin(app, client)
    nav = client.get("/dashboard/county1/").get_data(as_text=True).split("</nav>")[0]
    assert 'href="/dashboard/county1/users"' in nav and 'href="/dashboard/county1/settings"' in nav
    viewer = app.test_client()
    sign_in(viewer, "sup1")
    nav = viewer.get("/dashboard/county1/").get_data(as_text=True).split("</nav>")[0]
    assert "/users" not in nav and "/settings" not in nav


def test_the_audit_log_filters_and_pages(app, client):
    world = _admin(app, client)
    evaluation = world["evaluation"]
    for n in range(60):
        audit.record("user:sup1" if n % 2 else "cli", "submission.comment", f"submission:{n}", {"n": n},
                     evaluation.id)
    audit.record("user:sup1", "rules.settings", "evaluation:county1", {}, world["other"].id)  # elsewhere
    db.session.commit()
    page = client.get("/dashboard/county1/audit", query_string={"actor": "sup1", "action": "submission"})
    rows = re.findall(r'<span class="pill">n: (\d+)</span>', page.get_data(as_text=True))
    assert rows == [str(n) for n in range(59, 0, -2)]  # 30, newest first, all on one page
    first = client.get("/dashboard/county1/audit").get_data(as_text=True)
    assert first.count("<tr><td>") == 50
    after = unquote(re.search(r'rel="next" href="[^"]*after=([^"&]+)', first).group(1))
    second = client.get("/dashboard/county1/audit", query_string={"after": after}).get_data(as_text=True)
    ids_first = {int(i) for i in re.findall(r"submission:(\d+)", first)}
    ids_second = {int(i) for i in re.findall(r"submission:(\d+)", second)}
    assert ids_first and ids_second and not ids_first & ids_second
    assert "evaluation:county1" not in first + second  # another evaluation's entry
    today = datetime.now(timezone.utc).astimezone().date().isoformat()
    assert client.get("/dashboard/county1/audit", query_string={"until": "2020-01-01"}).get_data(
        as_text=True).count("<tr><td>") == 0
    assert client.get("/dashboard/county1/audit", query_string={"since": today}).status_code == 200
    bad = client.get("/dashboard/county1/audit", query_string={"since": "2020-13-45"})
    assert bad.status_code == 422 and 'id="since-error">日期格式为 YYYY-MM-DD。' in bad.get_data(as_text=True)


def test_a_post_without_the_pages_token_changes_nothing(app, client):
    _admin(app, client)
    answer = client.post(f"{USERS}/view1/role", data={"role": "admin"})
    assert answer.status_code == 403
    assert db.session.query(Membership.role).filter_by(user_id=_id("view1")).scalar() == "viewer"


def _id(username):
    return db.session.query(User.id).filter_by(username=username).scalar()

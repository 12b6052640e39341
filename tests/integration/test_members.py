"""Users and roles per evaluation, and the audit log, through the API and the CLI: what an evaluation's
admin may do, what they may not (their own role, a site admin, someone who also works elsewhere), and that
every change is in the log, which filters and pages."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from server.infra.extensions import db
from server.models import AuditEntry, User
from testkit.factories import make_evaluation, make_user

PASSWORD = "correct horse battery"
USERS = "/api/v1/evaluations/county1/users"


def sign_in(client, username, password=PASSWORD):
    answer = client.post("/api/v1/session", json={"username": username, "password": password})
    assert answer.status_code == 200, answer.json
    return {"X-CSRF-Token": answer.json["csrf_token"]}


@pytest.fixture
def county1(app):
    evaluation = make_evaluation("county1")
    make_evaluation("county2")
    make_user("adm", "admin", evaluation)
    make_user("root", "admin", None)
    return evaluation


def _logged(action):
    return db.session.query(AuditEntry).filter_by(action=action).order_by(AuditEntry.id.desc()).first()


def test_an_admin_creates_a_user_whose_password_is_shown_once_and_works(app, client, county1):
    headers = sign_in(client, "adm")
    created = client.post(USERS, json={"username": "li.na", "role": "viewer", "display_name": "李娜"},
                          headers=headers)
    assert created.status_code == 201, created.json
    assert created.headers["Cache-Control"] == "no-store"
    password = created.json["password"]
    assert created.json["role"] == "viewer" and len(password) >= 10
    listed = client.get(USERS).json
    assert {u["username"]: u["role"] for u in listed} == {"adm": "admin", "li.na": "viewer", "root": "admin"}
    assert all("password" not in u for u in listed)
    entry = _logged("user.create")
    assert entry.evaluation_id == county1.id and entry.actor == "user:adm"
    assert password not in str(entry.details)
    viewer = app.test_client()
    sign_in(viewer, "li.na", password)
    assert [e["code"] for e in viewer.get("/api/v1/evaluations").json] == ["county1"]
    again = client.post(USERS, json={"username": "li.na", "role": "supervisor"}, headers=headers)
    assert (again.status_code, again.json["code"]) == (409, "member.exists")
    bad = client.post(USERS, json={"username": "Li Na!", "role": "boss"}, headers=headers)
    assert bad.status_code == 422 and {d["field"] for d in bad.json["details"]} == {"role"}
    bad_name = client.post(USERS, json={"username": "Li Na!", "role": "viewer"}, headers=headers)
    assert (bad_name.status_code, bad_name.json["code"]) == (422, "account.bad_username")


def test_a_user_of_another_evaluation_is_added_with_a_role_and_no_new_password(app, client, county1):
    make_user("wang", "supervisor", db.session.query(type(county1)).filter_by(code="county2").one())
    headers = sign_in(client, "adm")
    added = client.post(USERS, json={"username": "wang", "role": "supervisor"}, headers=headers)
    assert added.status_code == 201 and "password" not in added.json
    other = app.test_client()
    sign_in(other, "wang")
    assert [e["code"] for e in other.get("/api/v1/evaluations").json] == ["county1", "county2"]
    assert _logged("member.add").details == {"username": "wang", "role": "supervisor"}


def test_roles_change_and_are_removed_but_never_ones_own_or_a_site_admins(app, client, county1):
    make_user("zhao", "viewer", county1)
    headers = sign_in(client, "adm")
    zhao = app.test_client()
    zhao_headers = sign_in(zhao, "zhao")
    enumerators = "/api/v1/evaluations/county1/enumerators"
    assert zhao.post(enumerators, json={}, headers=zhao_headers).status_code == 403
    changed = client.put(f"{USERS}/zhao/role", json={"role": "supervisor"}, headers=headers)
    assert changed.status_code == 200 and changed.json["role"] == "supervisor"
    assert _logged("member.role").details == {"username": "zhao", "before": "viewer", "after": "supervisor"}
    # the next request of the same session acts with the new role
    assert zhao.post(enumerators, json={}, headers=zhao_headers).status_code == 422
    own = client.put(f"{USERS}/adm/role", json={"role": "viewer"}, headers=headers)
    assert (own.status_code, own.json["code"]) == (409, "member.self")
    site = client.put(f"{USERS}/root/role", json={"role": "viewer"}, headers=headers)
    assert (site.status_code, site.json["code"]) == (409, "member.site_admin")
    assert client.delete(f"{USERS}/zhao", headers=headers).status_code == 204
    assert zhao.get("/api/v1/evaluations/county1/figures").status_code == 404
    assert client.put(f"{USERS}/zhao/role", json={"role": "viewer"}, headers=headers).status_code == 404


def test_a_reset_password_ends_their_sessions_and_only_the_new_one_works(app, client, county1):
    make_user("zhao", "viewer", county1)
    zhao = app.test_client()
    sign_in(zhao, "zhao")
    headers = sign_in(client, "adm")
    reset = client.post(f"{USERS}/zhao/password", headers=headers)
    assert reset.status_code == 200 and reset.headers["Cache-Control"] == "no-store"
    new = reset.json["password"]
    assert zhao.get("/api/v1/evaluations").status_code == 401  # their session ended
    assert app.test_client().post("/api/v1/session", json={"username": "zhao", "password": PASSWORD}) \
        .status_code == 401
    sign_in(app.test_client(), "zhao", new)
    entry = _logged("user.password")
    assert entry.evaluation_id == county1.id and entry.details["reset"] is True
    assert new not in str(entry.details)


def test_deactivation_ends_their_sessions_until_activated_again(app, client, county1):
    make_user("zhao", "viewer", county1)
    zhao = app.test_client()
    sign_in(zhao, "zhao")
    headers = sign_in(client, "adm")
    answer = client.post(f"{USERS}/zhao/deactivate", headers=headers)
    assert answer.status_code == 200 and answer.json["active"] is False
    assert zhao.get("/api/v1/evaluations").status_code == 401
    refused = app.test_client().post("/api/v1/session", json={"username": "zhao", "password": PASSWORD})
    assert refused.status_code == 401
    assert _logged("user.deactivate").details["sessions"] == 1
    own = client.post(f"{USERS}/adm/deactivate", headers=headers)
    assert (own.status_code, own.json["code"]) == (409, "member.self")
    assert client.post(f"{USERS}/zhao/activate", headers=headers).json["active"] is True
    sign_in(app.test_client(), "zhao")


def test_someone_who_also_works_elsewhere_is_left_to_a_site_admin(app, client, county1):
    county2 = db.session.query(type(county1)).filter_by(code="county2").one()
    make_user("wang", "supervisor", county2)
    headers = sign_in(client, "adm")
    client.post(USERS, json={"username": "wang", "role": "viewer"}, headers=headers)
    for path in ("/password", "/deactivate"):
        refused = client.post(f"{USERS}/wang{path}", headers=headers)
        assert (refused.status_code, refused.json["code"]) == (403, "member.not_manageable"), path
    assert client.post(f"{USERS}/root/password", headers=headers).status_code == 403
    assert db.session.get(User, db.session.query(User.id).filter_by(username="wang").scalar()).active
    root = app.test_client()
    root_headers = sign_in(root, "root")
    assert root.post(f"{USERS}/wang/password", headers=root_headers).status_code == 200
    # another evaluation's users are not there to be named
    assert client.post(f"{USERS}/nobody/password", headers=headers).status_code == 404


def test_the_audit_log_filters_by_actor_action_and_day_and_pages_by_keyset(app, client, county1):
    headers = sign_in(client, "adm")
    for name in ("a1", "a2", "a3"):
        client.post(USERS, json={"username": name, "role": "viewer"}, headers=headers)
    client.put(f"{USERS}/a1/role", json={"role": "supervisor"}, headers=headers)
    url = "/api/v1/evaluations/county1/audit"
    mine = client.get(url, query_string={"actor": "adm"}).json["items"]
    assert [e["action"] for e in mine] == ["member.role", "user.create", "user.create", "user.create"]
    role_change = client.get(url, query_string={"actor": "user:adm", "action": "member"}).json["items"]
    assert role_change[0]["details"] == {"username": "a1", "before": "viewer", "after": "supervisor"}
    created = client.get(url, query_string={"action": "user.create"}).json["items"]
    assert [e["details"]["username"] for e in created] == ["a3", "a2", "a1", "adm"]  # adm: by the test
    seen, cursor = [], None
    while True:
        page = client.get(url, query_string={"limit": 2, **({"after": cursor} if cursor else {})}).json
        seen += [e["id"] for e in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    everything = client.get(url, query_string={"limit": 500}).json["items"]
    assert seen == [e["id"] for e in everything] == sorted(seen, reverse=True) and len(seen) == len(set(seen))
    rows = db.session.query(AuditEntry).filter(AuditEntry.id.in_(seen))
    assert all(e.evaluation_id == county1.id for e in rows)
    china_day = db.session.get(AuditEntry, seen[0]).at.astimezone(ZoneInfo("Asia/Shanghai")).date()
    assert len(client.get(url, query_string={"since": china_day.isoformat(), "limit": 500}).json["items"]) \
        == len(seen)
    day_before = (china_day - timedelta(days=1)).isoformat()
    assert client.get(url, query_string={"until": day_before}).json["items"] == []
    bad = client.get(url, query_string={"since": "2020-13-01"})
    assert bad.status_code == 422 and bad.json["details"][0]["field"] == "since"
    assert client.get(url, query_string={"after": "abc"}).json["code"] == "audit.bad_filter"


def test_the_openapi_document_has_example_bodies(client):
    spec = client.get("/api/v1/openapi.json").json
    post = spec["paths"]["/api/v1/evaluations/{code}/users"]["post"]
    assert post["requestBody"]["content"]["application/json"]["example"]["role"] == "viewer"
    role = spec["paths"]["/api/v1/evaluations/{code}/users/{username}/role"]["put"]
    assert role["requestBody"]["content"]["application/json"]["example"] == {"role": "supervisor"}
    audit = spec["paths"]["/api/v1/evaluations/{code}/audit"]["get"]
    assert audit["responses"]["200"]["content"]["application/json"]["example"]["next_cursor"]
    assert b"Example:" in client.get("/api/v1/docs?lang=en").data


def test_the_cli_lists_gives_changes_and_removes_roles_and_reads_the_log(app, runner, county1):
    make_user("wang", "viewer", county1)
    assert runner.invoke(args=["users", "role", "wang", "county1"]).output.strip() == "viewer"
    assert runner.invoke(args=["users", "role", "wang", "county1", "supervisor"]).exit_code == 0
    listed = runner.invoke(args=["users", "list", "--evaluation", "county1"]).output.splitlines()
    assert "wang\tactive\tsupervisor" in listed and "root\tactive\tadmin\tsite admin" in listed
    assert "wang\tactive\tcounty1=supervisor" in runner.invoke(args=["users", "list"]).output
    reset = runner.invoke(args=["users", "reset-password", "wang", "--evaluation", "county1"])
    assert reset.exit_code == 0
    sign_in(app.test_client(), "wang", reset.output.strip().splitlines()[-1])
    assert runner.invoke(args=["users", "role", "wang", "county1", "--remove"]).exit_code == 0
    assert runner.invoke(args=["users", "role", "wang", "county1"]).output.strip() == "no role"
    log = runner.invoke(args=["audit", "county1", "--action", "member"]).output.splitlines()
    assert [line.split("\t")[3] for line in log] == ["member.remove", "member.role"]
    assert all(line.split("\t")[2] == "cli" for line in log)
    page = runner.invoke(args=["audit", "county1", "--limit", "1"]).output.splitlines()
    assert len(page) == 2 and page[1].startswith("more: --after ")
    following = runner.invoke(args=["audit", "county1", "--limit", "1", "--after", page[1].split()[-1]])
    assert int(following.output.split("\t")[0]) < int(page[0].split("\t")[0])  # the entry before
    bad = runner.invoke(args=["audit", "county1", "--since", "yesterday"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output

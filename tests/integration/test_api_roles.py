"""Every API route against every kind of caller, walked from app.url_map: a route without an entry in
ROUTES fails, so a new route cannot ship without saying who may call it.

ROUTES says, from the issue's roles ("an admin manages users, roles and settings; a supervisor runs the
fieldwork — publishes forms, creates, deactivates and re-provisions enumerators, prints their QR codes and
the households' cards, draws samples and assigns them, reviews; a viewer reads; the archive system's bearer
tokens keep their own scopes"), which action of server/accounts/roles.py each route needs. A caller the
table allows must get past the door (whatever the handler then says of the empty request), one it does not
gets 403 auth.forbidden, a user of another evaluation 404 evaluation.not_found, and no caller 401.
"""
import re

import pytest

from server.accounts import api_tokens
from server.accounts.roles import allowed
from server.infra.extensions import db
from testkit.factories import make_enumerator, make_evaluation, make_user

PASSWORD = "correct horse battery"
PUBLIC, ANYONE, PEOPLE, SITE_ADMIN, SELF = "public", "anyone", "people", "site admin", "self or site admin"
E = "/api/v1/evaluations/<code>"
ROUTES = {
    ("GET", "/api/v1/docs"): PUBLIC,
    ("GET", "/api/v1/openapi.json"): PUBLIC,
    ("POST", "/api/v1/session"): PUBLIC,
    ("DELETE", "/api/v1/session"): ANYONE,
    ("PUT", "/api/v1/session/password"): PEOPLE,          # a token has no password
    ("GET", "/api/v1/evaluations"): ANYONE,
    ("GET", "/api/v1/rules"): ANYONE,
    ("GET", "/api/v1/workers"): SITE_ADMIN,
    ("POST", "/api/v1/users/<username>/deactivate"): SITE_ADMIN,
    ("DELETE", "/api/v1/users/<username>/sessions"): SELF,
    # fieldwork: read
    ("GET", E + "/assignments"): "read",
    ("GET", E + "/backchecks"): "read",
    ("GET", E + "/backchecks/report"): "read",
    ("GET", E + "/chain/digest"): "read",
    ("GET", E + "/chain/verify"): "read",
    ("GET", E + "/enumerators"): "read",
    ("GET", E + "/figures"): "read",
    ("GET", E + "/figures/<figure>/interviews"): "read",
    ("GET", E + "/forms"): "read",
    ("GET", E + "/forms/<form_id>"): "read",
    ("GET", E + "/forms/<form_id>/versions/<int:version_id>"): "read",
    ("GET", E + "/households"): "read",
    ("GET", E + "/households/<archive_id>"): "read",
    ("GET", E + "/households/<archive_id>/card"): "read",
    ("GET", E + "/households/changes"): "read",
    ("GET", E + "/villages/<village_code>/cards"): "read",
    ("GET", E + "/jobs/<job_id>"): "read",
    ("GET", E + "/reconciliation/settings"): "read",
    ("GET", E + "/recusal"): "read",
    ("GET", E + "/report"): "read",
    ("GET", E + "/rules"): "read",
    ("GET", E + "/samples"): "read",
    ("GET", E + "/samples/<int:sample_id>"): "read",
    ("GET", E + "/submissions"): "read",
    ("GET", E + "/submissions/<instance_id>"): "read",
    ("GET", E + "/submissions/<instance_id>/attachments/<name>"): "read",
    ("GET", E + "/submissions/<instance_id>/reconciliation"): "read",
    ("GET", E + "/enumerators/<username>"): "read",
    ("GET", E + "/enumerators/<username>/assignments"): "read",
    ("GET", E + "/forms/<form_id>/contract"): "read",
    ("GET", E + "/forms/<form_id>/versions/<int:version_id>/xform"): "read",
    ("GET", E + "/forms/<form_id>/versions/<int:version_id>/xlsform"): "read",
    ("GET", E + "/households/<archive_id>/interviews"): "read",
    ("GET", E + "/register/template"): "read",
    ("GET", E + "/samples/<int:sample_id>/coverage"): "read",
    ("GET", E + "/teams"): "read",
    ("GET", E + "/villages"): "read",
    # review
    ("GET", E + "/events/failed"): "review",
    ("POST", E + "/events/<int:event_id>/retry"): "review",
    ("POST", E + "/submissions/<instance_id>/review"): "review",
    ("POST", E + "/submissions/<instance_id>/classification"): "review",
    ("POST", E + "/submissions/<instance_id>/household"): "review",
    ("POST", E + "/decryptions"): "review",
    # the archive feed and one file per household
    ("GET", E + "/changes"): "feed",
    ("GET", E + "/households/<archive_id>/file"): "feed",
    # export
    ("POST", E + "/exports"): "export",
    ("GET", E + "/exports/<job_id>"): "export",
    ("GET", E + "/exports/<job_id>/file"): "export",
    ("POST", E + "/villages/<village_code>/household-files"): "export",
    # forms
    ("POST", E + "/forms"): "forms",
    ("PATCH", E + "/forms/<form_id>"): "forms",
    ("POST", E + "/forms/<form_id>/versions/<int:version_id>/publish"): "forms",
    ("POST", E + "/forms/<form_id>/versions/<int:version_id>/media"): "forms",
    ("PUT", E + "/forms/<form_id>/audience"): "forms",
    # enumerators: create, edit, deactivate, re-provision, QR codes
    ("POST", E + "/enumerators"): "enumerators",
    ("PATCH", E + "/enumerators/<username>"): "enumerators",
    ("GET", E + "/enumerators/<username>/qr"): "enumerators",
    ("GET", E + "/enumerators/<username>/qr.png"): "enumerators",
    ("POST", E + "/enumerators/<username>/token"): "enumerators",
    ("PUT", E + "/enumerators/<username>/password"): "enumerators",
    ("GET", E + "/enumerator-sheet"): "enumerators",
    # the register and its cards
    ("POST", E + "/households/batch"): "register",
    ("POST", E + "/households/import"): "register",
    ("DELETE", E + "/households/<archive_id>"): "register",
    ("POST", E + "/households/<archive_id>/withdraw"): "register",
    ("POST", E + "/households/<archive_id>/card"): "register",
    ("DELETE", E + "/households/<archive_id>/card"): "register",
    # samples and assignments
    ("POST", E + "/samples"): "samples",
    ("POST", E + "/samples/<int:sample_id>/assignments"): "samples",
    ("POST", E + "/samples/<int:sample_id>/units/<int:unit_id>/substitute"): "samples",
    ("POST", E + "/assignments"): "samples",
    ("DELETE", E + "/assignments/<int:assignment_id>"): "samples",
    ("POST", E + "/backchecks/draw"): "samples",
    # settings and the re-check (admins)
    ("PUT", E + "/rules"): "settings",
    ("PUT", E + "/recusal"): "settings",
    ("PUT", E + "/reconciliation/settings"): "settings",
    ("POST", E + "/recheck"): "settings",
    ("GET", E + "/webhooks"): "settings",
    ("POST", E + "/webhooks"): "settings",
    ("DELETE", E + "/webhooks/<int:subscription_id>"): "settings",
    ("POST", E + "/webhooks/<int:subscription_id>/enable"): "settings",
    ("GET", E + "/webhooks/<int:subscription_id>/deliveries"): "settings",
    ("POST", E + "/webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/redeliver"): "settings",
    # users, roles, tokens, the audit log (admins)
    ("GET", E + "/tokens"): "users",
    ("POST", E + "/tokens"): "users",
    ("DELETE", E + "/tokens/<int:token_id>"): "users",
    ("GET", E + "/users"): "users",
    ("POST", E + "/users"): "users",
    ("PUT", E + "/users/<username>/role"): "users",
    ("DELETE", E + "/users/<username>"): "users",
    ("POST", E + "/users/<username>/password"): "users",
    ("POST", E + "/users/<username>/deactivate"): "users",
    ("POST", E + "/users/<username>/activate"): "users",
    ("GET", E + "/audit"): "users",
}
# Placeholders: existing objects where a route names one by a natural key, ids that exist nowhere otherwise
# (the handler's own 404 comes after the door, with its own code).
VALUES = {"code": "county1", "figure": "missed_rate", "form_id": "noform", "archive_id": "A0",
          "village_code": "150782101201", "job_id": "nojob", "instance_id": "uuid:none", "name": "x.jpg"}
DOOR = {"auth.required", "auth.bad_token", "auth.forbidden", "auth.csrf", "evaluation.not_found"}
# visitor: (how it calls, its role in county1 as roles.py names it)
VISITORS = {"admin": ("adm", "admin"), "supervisor": ("sup", "supervisor"), "viewer": ("view", "viewer"),
            "site admin": ("root", "admin"), "token:import": ("import", "token:import"),
            "token:read": ("read", "token:read"), "other": ("other", None), "out": (None, None)}


def _api_rules(app):
    return {(m, r.rule) for r in app.url_map.iter_rules() if r.endpoint.startswith("api.")
            for m in r.methods - {"HEAD", "OPTIONS"}}


def test_every_api_route_has_an_entry(app):
    rules = _api_rules(app)
    assert rules - set(ROUTES) == set(), "routes without an entry in ROUTES"
    assert set(ROUTES) - rules == set(), "entries for routes that no longer exist"
    assert {a for a in ROUTES.values() if a not in (PUBLIC, ANYONE, PEOPLE, SITE_ADMIN, SELF)} <= set(
        __import__("server.accounts.roles", fromlist=["ACTIONS"]).ACTIONS)


@pytest.fixture
def world(app):
    county1, county2 = make_evaluation("county1"), make_evaluation("county2")
    make_enumerator(county1, "enum1")
    for name, role, evaluation in (("adm", "admin", county1), ("sup", "supervisor", county1),
                                   ("view", "viewer", county1), ("target", "viewer", county1),
                                   ("root", "admin", None), ("other", "supervisor", county2)):
        make_user(name, role, evaluation, password=PASSWORD)
    tokens = {scope: api_tokens.create_token(county1, scope, scope, actor="test")[1]
              for scope in ("import", "read")}
    db.session.commit()
    return tokens


def _url(method, rule):
    def value(match):
        kind, name = match.group(1), match.group(2)
        if name == "username":
            return "enum1" if "/enumerators/" in rule else "target"
        return "999999" if kind == "int" else VALUES[name]
    return re.sub(r"<(?:(\w+):)?(\w+)>", value, rule)


class Caller:
    """One visitor's client: a session (signed in again whenever a route ended it) or a bearer token."""

    def __init__(self, app, who, tokens):
        self.client, self.who, self.headers = app.test_client(), who, {}
        if who in tokens:
            self.headers = {"Authorization": f"Bearer {tokens[who]}"}
        elif who:
            self.sign_in()

    def sign_in(self):
        answer = self.client.post("/api/v1/session", json={"username": self.who, "password": PASSWORD})
        assert answer.status_code == 200, answer.json
        self.headers = {"X-CSRF-Token": answer.json["csrf_token"]}

    def call(self, method, url):
        body = {} if method in ("POST", "PUT", "PATCH") else None
        answer = self.client.open(url, method=method, json=body, headers=self.headers)
        if "Authorization" not in self.headers and self.who and (
                url.startswith("/api/v1/session") or url.endswith("/sessions")):
            self.sign_in()
        return answer


def _code(answer):
    body = answer.get_json(silent=True) if answer.is_json else None
    return body.get("code") if isinstance(body, dict) else None


def _expected(entry, visitor, role):
    """'in' (past the door), 401, 403 or 404."""
    if entry == PUBLIC:
        return "in"
    if visitor == "out":
        return 401
    if entry == ANYONE:
        return "in"
    if entry == PEOPLE:
        return 403 if visitor.startswith("token:") else "in"
    if entry == SITE_ADMIN:
        return "in" if visitor == "site admin" else 403
    if entry == SELF:
        return "in" if visitor == "site admin" else 403  # the target is someone else
    if role is None:
        return 404
    return "in" if allowed(role, entry) else 403


@pytest.mark.parametrize("visitor", list(VISITORS))
def test_each_route_answers_each_caller_as_the_role_table_says(app, world, visitor):
    who, role = VISITORS[visitor]
    caller = Caller(app, who, world)
    failures = []
    for method, rule in sorted(ROUTES, key=lambda r: (r[1], r[0] != "GET")):
        want = _expected(ROUTES[(method, rule)], visitor, role)
        answer = caller.call(method, _url(method, rule))
        code = _code(answer)
        if want == "in":
            ok = answer.status_code != 401 and code not in DOOR and answer.status_code < 500
        else:
            door = {401: {"auth.required"}, 403: {"auth.forbidden"}, 404: {"evaluation.not_found"}}[want]
            ok = answer.status_code == want and code in door
        if not ok:
            failures.append((method, rule, want, answer.status_code, code))
    assert not failures, failures


def test_a_refused_caller_changes_nothing(app, world, client):
    """The door is shut before the handler: a viewer's and a read token's changes leave no audit entry."""
    from server.models import AuditEntry

    before = db.session.query(AuditEntry).count()
    for who in ("view", "read"):
        caller = Caller(app, who, world)
        for method, rule in ROUTES:
            entry = ROUTES[(method, rule)]
            if method != "GET" and entry not in (PUBLIC, ANYONE, PEOPLE, SELF) and not allowed(
                    "viewer" if who == "view" else "token:read", entry if entry != SITE_ADMIN else "users"):
                assert caller.call(method, _url(method, rule)).status_code == 403, (who, method, rule)
    db.session.expire_all()
    signed_in = 1  # the viewer's own sign-in
    assert db.session.query(AuditEntry).count() == before + signed_in

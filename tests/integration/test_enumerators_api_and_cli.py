"""What the enumerators page does has an API route and a CLI command: one enumerator with their quality,
their assignments, a Digest password, edits (phone and team too), the printable sheet, activation."""
import pytest

from server.infra.extensions import db
from server.models import AuditEntry, Enumerator
from testkit.dashboard_world import PASSWORD, build_world

API = "/api/v1/evaluations/county1/enumerators"


@pytest.fixture
def world(app):
    return build_world(app)


def _session(client, username):
    answer = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    return {"X-CSRF-Token": answer.json["csrf_token"]}


def test_one_enumerator_with_quality_and_assignments(client, world):
    _session(client, "view1")
    one = client.get(API + "/enum1").json
    assert one["enumerator"]["username"] == "enum1" and one["quality"]["interviews"] == 3
    assert "GPS-03" in one["quality"]["per_100"]
    assigned = client.get(API + "/enum1/assignments").json
    assert sorted(a["archive_id"] for a in assigned) == sorted(world["households"])
    assert all(a["interviewed"] is True for a in assigned)  # each household of the world was interviewed
    assert client.get(API + "/nobody").status_code == 404


def test_a_viewer_cannot_set_a_password_or_print_the_sheet(client, world):
    headers = _session(client, "view1")
    assert client.put(API + "/enum1/password", json={"password": "a long passphrase"},
                      headers=headers).status_code == 403
    assert client.get("/api/v1/evaluations/county1/enumerator-sheet").status_code == 403


def test_a_supervisor_sets_a_password_edits_and_prints(client, world):
    headers = _session(client, "sup1")
    short = client.put(API + "/enum1/password", json={"password": "short"}, headers=headers)
    assert short.status_code == 422
    assert client.put(API + "/enum1/password", json={"password": "a long passphrase"},
                      headers=headers).status_code == 204
    assert db.session.query(AuditEntry).filter_by(action="enumerator.password").count() == 1
    edited = client.patch(API + "/enum1", json={"phone": "13900001111", "team": "回访组"}, headers=headers)
    assert edited.status_code == 200 and (edited.json["phone"], edited.json["team"]) == ("13900001111", "回访组")
    sheet = client.get("/api/v1/evaluations/county1/enumerator-sheet?username=enum1")
    assert sheet.status_code == 200 and sheet.mimetype == "text/html"
    assert 'data-username="enum1"' in sheet.text
    assert sheet.headers["Cache-Control"] == "no-store"


def test_the_cli_edits_shows_and_activates(runner, world):
    edited = runner.invoke(args=["enumerators", "edit", "county1", "enum1", "--team", "回访组", "--phone",
                                 "13900001111", "--village-code", "110108001001"])
    assert edited.exit_code == 0 and "changed" in edited.output, edited.output
    row = db.session.query(Enumerator).filter_by(username="enum1").one()
    assert (row.team, row.phone, row.village_code) == ("回访组", "13900001111", "110108001001")
    wrong = runner.invoke(args=["enumerators", "edit", "county1", "enum1", "--township-code", "120101001"])
    assert wrong.exit_code != 0 and "enumerator.invalid" in wrong.output
    shown = runner.invoke(args=["enumerators", "show", "county1", "enum1"])
    assert shown.exit_code == 0 and "team 回访组" in shown.output and "interviews 3" in shown.output
    assert shown.output.count("assignment ") == 3
    assert runner.invoke(args=["enumerators", "deactivate", "county1", "enum1"]).exit_code == 0
    assert runner.invoke(args=["enumerators", "activate", "county1", "enum1"]).exit_code == 0
    db.session.expire_all()
    assert db.session.query(Enumerator).filter_by(username="enum1").one().active is True


def test_the_cli_creates_an_enumerator_in_a_team(runner, world):
    created = runner.invoke(args=["enumerators", "create", "county1", "bc1", "--county", "延庆区", "--team",
                                  "回访组"])
    assert created.exit_code == 0, created.output
    assert db.session.query(Enumerator).filter_by(username="bc1").one().team == "回访组"

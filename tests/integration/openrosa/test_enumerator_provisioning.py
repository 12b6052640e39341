"""Enumerator provisioning from the CLI and the API: QR codes, token rotation, passwords, deactivation."""
import zxingcpp
from PIL import Image

from server.accounts import devices
from server.infra.extensions import db
from server.models import AuditEntry, Enumerator
from testkit.factories import make_enumerator, make_evaluation, make_user

PASSWORD = "correct horse battery"


def _setup():
    evaluation = make_evaluation("county1")
    enumerator, token = make_enumerator(evaluation)
    return evaluation, enumerator, token


def _actions():
    return [a.action for a in db.session.query(AuditEntry).order_by(AuditEntry.id)]


def test_cli_qr_writes_a_png_holding_the_collect_settings(app, runner, tmp_path):
    _, _, token = _setup()
    out = tmp_path / "qr.png"
    result = runner.invoke(args=["enumerators", "qr", "county1", "enum1", "--out", str(out)])
    assert result.exit_code == 0, result.output
    url = result.output.strip().splitlines()[-1]
    assert url == f"http://fieldcheck.test/key/{token}/county1"
    decoded = zxingcpp.read_barcodes(Image.open(out))[0].text
    settings = devices.decode_payload(decoded)
    assert settings["general"]["server_url"] == url and settings["admin"] == {}
    assert settings["general"]["app_language"] == "zh" and settings["project"]["name"].startswith("测试评估")


def test_cli_rotate_token_invalidates_the_old_url(app, runner, client):
    _, _, token = _setup()
    result = runner.invoke(args=["enumerators", "rotate-token", "county1", "enum1"])
    new_url = result.output.strip().splitlines()[-1]
    assert result.exit_code == 0 and token not in new_url
    assert client.get(f"/key/{token}/county1/formList").status_code == 403
    assert client.get(new_url.replace("http://fieldcheck.test", "") + "/formList").status_code == 200
    assert "enumerator.rotate_token" in _actions()


def test_cli_password_sets_digest_credentials(app, runner, monkeypatch):
    _setup()
    monkeypatch.setenv("FIELDCHECK_PASSWORD", "a-long-field-password")
    result = runner.invoke(args=["enumerators", "password", "county1", "enum1"])
    assert result.exit_code == 0, result.output
    assert db.session.query(Enumerator).one().digest_ha1_encrypted
    monkeypatch.setenv("FIELDCHECK_PASSWORD", "short")
    assert runner.invoke(args=["enumerators", "password", "county1", "enum1"]).exit_code != 0
    assert "enumerator.password" in _actions()


def test_cli_deactivate_refuses_the_phone(app, runner, client):
    _, _, token = _setup()
    assert runner.invoke(args=["enumerators", "deactivate", "county1", "enum1"]).exit_code == 0
    assert client.get(f"/key/{token}/county1/formList").status_code == 403
    assert "enumerator.update" in _actions()
    assert runner.invoke(args=["enumerators", "qr", "county1", "nobody", "--out", "x.png"]).exit_code != 0


def _signed_in(client, role):
    evaluation = make_evaluation("county1")
    make_user("boss", role, evaluation, password=PASSWORD)
    answer = client.post("/api/v1/session", json={"username": "boss", "password": PASSWORD})
    return evaluation, {"X-CSRF-Token": answer.json["csrf_token"]}


def test_api_create_list_update_and_rotate(app, client):
    _, headers = _signed_in(client, "admin")
    created = client.post("/api/v1/evaluations/county1/enumerators", headers=headers,
                          json={"username": "wang", "county": "凉城县", "township": "岱海镇",
                                "village": "东营子村"})
    assert created.status_code == 201, created.json
    old_url = created.json["server_url"]
    listed = client.get("/api/v1/evaluations/county1/enumerators").json
    assert [e["username"] for e in listed] == ["wang"] and listed[0]["active"] is True
    changed = client.patch("/api/v1/evaluations/county1/enumerators/wang", headers=headers,
                           json={"active": False, "village": "西营子村"})
    assert changed.status_code == 200
    assert changed.json["active"] is False and changed.json["village"] == "西营子村"
    client.patch("/api/v1/evaluations/county1/enumerators/wang", headers=headers, json={"active": True})
    rotated = client.post("/api/v1/evaluations/county1/enumerators/wang/token", headers=headers)
    assert rotated.status_code == 200 and rotated.json["server_url"] != old_url
    assert client.get(old_url.replace("http://fieldcheck.test", "") + "/formList").status_code == 403
    assert {"enumerator.create", "enumerator.update", "enumerator.rotate_token"} <= set(_actions())


def test_api_qr_as_png_and_payload(app, client):
    _, headers = _signed_in(client, "admin")
    client.post("/api/v1/evaluations/county1/enumerators", headers=headers,
                json={"username": "wang", "county": "c", "township": "t", "village": "v"})
    payload = client.get("/api/v1/evaluations/county1/enumerators/wang/qr")
    assert payload.status_code == 200 and payload.headers["Cache-Control"] == "no-store"
    settings = devices.decode_payload(payload.json["payload"])
    assert settings["general"]["server_url"] == payload.json["server_url"]
    png = client.get("/api/v1/evaluations/county1/enumerators/wang/qr.png")
    assert png.status_code == 200 and png.mimetype == "image/png" and png.data.startswith(b"\x89PNG")


def test_api_supervisor_runs_the_phones_and_a_viewer_only_lists(app, client):
    """The issue's roles: a supervisor shows QR codes and rotates tokens; a viewer may only list."""
    evaluation, headers = _signed_in(client, "supervisor")
    make_enumerator(evaluation)
    assert client.get("/api/v1/evaluations/county1/enumerators/enum1/qr").status_code == 200
    rotated = client.post("/api/v1/evaluations/county1/enumerators/enum1/token", headers=headers)
    assert rotated.status_code == 200
    make_user("looker", "viewer", evaluation, password=PASSWORD)
    signed_in = client.post("/api/v1/session", json={"username": "looker", "password": PASSWORD})
    viewer = {"X-CSRF-Token": signed_in.json["csrf_token"]}
    assert client.get("/api/v1/evaluations/county1/enumerators").status_code == 200
    assert client.get("/api/v1/evaluations/county1/enumerators/enum1/qr").status_code == 403
    refused = client.post("/api/v1/evaluations/county1/enumerators/enum1/token", headers=viewer)
    assert refused.status_code == 403 and refused.json["code"] == "auth.forbidden"

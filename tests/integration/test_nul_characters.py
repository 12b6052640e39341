"""A NUL character (U+0000) anywhere a caller can put text gets a 400 naming the field, never a 500.

PostgreSQL refuses NUL in text and JSON; schemathesis found the API answering 500 for a back-checker
named "\\x00". The same holds for the path, the query string, a dashboard form and OpenRosa's query."""
from server.accounts import api_tokens
from server.infra.extensions import db
from server.models import Submission
from testkit.collect_wire import request_headers
from testkit.factories import make_evaluation, make_user
from testkit.openrosa_factories import setup_evaluation
from tests.integration.dashboard.helpers import csrf

PASSWORD = "pass-word-123"


def _signed_in_admin(client):
    evaluation = make_evaluation("county1")
    make_user("boss", "admin", evaluation, password=PASSWORD)
    db.session.commit()
    signed = client.post("/api/v1/session", json={"username": "boss", "password": PASSWORD})
    return {"X-CSRF-Token": signed.get_json()["csrf_token"]}


def _refused(response, field):
    assert response.status_code == 400, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == "request.nul_character"
    assert body["details"] == [{"field": field, "message": "contains U+0000"}]


def test_a_nul_in_a_json_body_is_named_and_nothing_is_written(client):
    headers = _signed_in_admin(client)
    response = client.post("/api/v1/evaluations/county1/backchecks/draw", headers=headers,
                           json={"backcheckers": ["ok", "\x00"]})
    _refused(response, "body.backcheckers.1")
    response = client.post("/api/v1/evaluations/county1/users", headers=headers,
                           json={"username": "new\x00user", "role": "viewer"})
    _refused(response, "body.username")
    listed = client.get("/api/v1/evaluations/county1/users", headers=headers).get_json()
    assert [member["username"] for member in listed] == ["boss"]


def test_a_nul_in_a_key_of_a_json_body_is_refused(client):
    headers = _signed_in_admin(client)
    response = client.post("/api/v1/evaluations/county1/backchecks/draw", headers=headers,
                           json={"back\x00checkers": []})
    _refused(response, "body.back\\0checkers")


def test_a_nul_in_the_query_string_or_the_path_is_refused(client):
    evaluation = make_evaluation("county1")
    _, secret = api_tokens.create_token(evaluation, "archive", "import", actor="test")
    db.session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    households = "/api/v1/evaluations/county1/households"
    _refused(client.get(f"{households}?village=%00", headers=bearer), "query.village")
    _refused(client.get("/api/v1/evaluations/county%001/households", headers=bearer), "path.code")


def test_a_nul_in_a_dashboard_form_is_refused(client):
    token = csrf(client.get("/login"))
    response = client.post("/login", data={"username": "boss\x00", "password": PASSWORD, "csrf_token": token})
    assert response.status_code == 400
    assert "U+0000" in response.get_data(as_text=True)


def test_a_nul_in_an_openrosa_query_is_refused_and_nothing_is_stored(client):
    evaluation, _, token = setup_evaluation()
    response = client.get(f"/key/{token}/{evaluation.code}/formList?formID=%00", headers=request_headers())
    assert response.status_code == 400
    assert b"U+0000" in response.data
    assert db.session.query(Submission).count() == 0

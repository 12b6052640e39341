"""The API's doors: sign-in, CSRF, bearer tokens, and evaluation scoping."""
import pytest

from server.accounts import api_tokens
from server.infra.extensions import db
from testkit.factories import make_evaluation, make_user

PASSWORD = "correct horse battery"


def sign_in(client, username):
    response = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return {"X-CSRF-Token": response.json["csrf_token"]}


@pytest.fixture
def two_evaluations(app):
    one, two = make_evaluation("county1"), make_evaluation("county2")
    make_user("admin1", "admin", one)
    make_user("viewer1", "viewer", one)
    make_user("root", "admin", None)
    return one, two


def test_without_credentials_the_api_answers_401(client, two_evaluations):
    response = client.get("/api/v1/evaluations")
    assert response.status_code == 401 and response.json["code"] == "auth.required"


def test_wrong_password_is_refused(client, two_evaluations):
    response = client.post("/api/v1/session", json={"username": "admin1", "password": "nope nope nope"})
    assert response.status_code == 401 and response.json["code"] == "auth.bad_credentials"


def test_a_user_sees_only_their_evaluations(client, two_evaluations):
    sign_in(client, "admin1")
    assert [e["code"] for e in client.get("/api/v1/evaluations").json] == ["county1"]
    assert client.get("/api/v1/evaluations/county2/tokens").status_code == 404
    assert client.get("/api/v1/evaluations/nowhere/tokens").status_code == 404


def test_unsafe_methods_need_the_csrf_token(client, two_evaluations):
    headers = sign_in(client, "admin1")
    body = {"name": "archive", "scope": "import"}
    refused = client.post("/api/v1/evaluations/county1/tokens", json=body)
    assert refused.status_code == 403 and refused.json["code"] == "auth.csrf"
    created = client.post("/api/v1/evaluations/county1/tokens", json=body, headers=headers)
    assert created.status_code == 201 and created.json["token"].startswith("fc_")


def test_a_viewer_may_not_manage(client, two_evaluations):
    headers = sign_in(client, "viewer1")
    response = client.post("/api/v1/evaluations/county1/tokens", json={"name": "x", "scope": "read"},
                           headers=headers)
    assert response.status_code == 403 and response.json["code"] == "auth.forbidden"


def test_bad_token_request_lists_every_field_error(client, two_evaluations):
    headers = sign_in(client, "root")
    response = client.post("/api/v1/evaluations/county2/tokens", json={"scope": "everything"},
                           headers=headers)
    assert response.status_code == 422
    assert {d["field"] for d in response.json["details"]} == {"name", "scope"}


def test_bearer_tokens_are_scoped_to_their_evaluation_and_revocable(client, two_evaluations):
    one, _ = two_evaluations
    _, secret = api_tokens.create_token(one, "archive", "read", actor="test")
    db.session.commit()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert [e["code"] for e in client.get("/api/v1/evaluations", headers=bearer).json] == ["county1"]
    # a read token may not manage tokens, and sees nothing of another evaluation
    assert client.get("/api/v1/evaluations/county1/tokens", headers=bearer).status_code == 403
    assert client.get("/api/v1/evaluations/county2/tokens", headers=bearer).status_code == 404
    headers = sign_in(client, "admin1")
    token_id = client.get("/api/v1/evaluations/county1/tokens").json[0]["id"]
    assert client.delete(f"/api/v1/evaluations/county1/tokens/{token_id}", headers=headers).status_code == 204
    revoked = client.get("/api/v1/evaluations", headers=bearer)
    assert revoked.status_code == 401 and revoked.json["code"] == "auth.bad_token"


def test_the_openapi_document_describes_the_routes(client):
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.")
    assert "post" in spec["paths"]["/api/v1/evaluations/{code}/tokens"]
    assert "TokenRequest" in spec["components"]["schemas"]
    page = client.get("/api/v1/docs")
    assert page.status_code == 200 and b"/evaluations/{code}/tokens" in page.data

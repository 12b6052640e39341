"""Fixtures for the register tests: an evaluation, an import token, sign-in, and a database snapshot."""
import pytest
from sqlalchemy import text

from server.accounts import api_tokens
from server.infra.extensions import db
from testkit.factories import make_evaluation, make_user

PASSWORD = "correct horse battery"
# Everything an import could touch (api_token is left out: a call updates its last_used_at).
TABLES = ("household", "household_token", "household_counter", "import_key", "audit_log", "sample",
          "sample_unit", "assignment")


@pytest.fixture
def evaluation(app):
    return make_evaluation("county1")


@pytest.fixture
def bearer(evaluation):
    _, secret = api_tokens.create_token(evaluation, "archive", "import", actor="test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def sign_in(client, username):
    response = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.json
    return {"X-CSRF-Token": response.json["csrf_token"]}


@pytest.fixture
def admin_headers(client, evaluation):
    make_user("admin1", "admin", evaluation)
    return sign_in(client, "admin1")


def snapshot():
    """Every row of every register table, to compare before and after a refused request."""
    db.session.rollback()
    return {table: sorted(map(tuple, db.session.execute(text(f"SELECT * FROM {table}")).all()), key=repr)
            for table in TABLES}


def post_batch(client, headers, records, code="county1", **kwargs):
    return client.post(f"/api/v1/evaluations/{code}/households/batch", json=records, headers=headers,
                       **kwargs)

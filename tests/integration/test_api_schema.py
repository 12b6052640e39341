"""The API against its own OpenAPI document (schemathesis): for every documented operation, requests made
from the schema — bodies, query strings and headers it allows, and some it does not — never get a 5xx.
They run as the archive system (an import token) and as a signed-in admin, in a real evaluation, so the
handlers run past authorisation instead of stopping at a 404.

Operations are walked here with hypothesis directly: schemathesis' pytest plugin does not run under
pytest 9 yet."""
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from server.accounts import api_tokens
from server.infra.extensions import db
from testkit.factories import make_evaluation, make_user
from testkit.openrosa_factories import MEDIA, SURVEY, publish

EXAMPLES = 4


def callers(client):
    evaluation = make_evaluation("county1")
    publish(evaluation, SURVEY, media=MEDIA)
    _, secret = api_tokens.create_token(evaluation, "archive", "import", actor="test")
    make_user("boss", "admin", evaluation, password="pass-word-123")
    db.session.commit()
    signed = client.post("/api/v1/session", json={"username": "boss", "password": "pass-word-123"})
    name, value = signed.headers["Set-Cookie"].split(";", 1)[0].split("=", 1)
    return [({"Authorization": f"Bearer {secret}"}, {}),
            ({"X-CSRF-Token": signed.get_json()["csrf_token"]}, {name: value})]


def test_no_documented_operation_answers_a_server_error(app, client):
    headers = callers(client)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 50  # the whole API is documented, not a handful

    for operation in operations:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy())
        def no_server_error(case):
            if "code" in (case.path_parameters or {}):
                case.path_parameters["code"] = "county1"
            # The schema's security schemes make up credentials; ours are the callers'.
            case.headers = {k: v for k, v in (case.headers or {}).items()
                            if k.lower() not in ("authorization", "cookie", "x-csrf-token")}
            case.cookies = {}
            for caller, cookies in headers:
                case.call_and_validate(headers=caller, cookies=cookies, checks=[not_a_server_error])
            db.session.rollback()

        no_server_error()

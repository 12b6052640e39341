"""Hostile batches: each gets a clear error and leaves the database exactly as it was."""
import pytest

from server.accounts import api_tokens
from server.infra.extensions import db
from testkit.factories import make_evaluation
from testkit.household_factories import make_record, make_records
from tests.integration.households.conftest import post_batch, snapshot

URL = "/api/v1/evaluations/county1/households/batch"


@pytest.fixture
def seeded(client, bearer):
    assert post_batch(client, bearer, make_records(5)).status_code == 200
    return snapshot()


def _wrong_check_digit():
    record = make_record(1)
    number = record["members"][1]["id_number"]
    record["members"][1]["id_number"] = number[:17] + ("0" if number[17] != "0" else "1")
    return [record], "members.1.id_number", "check digit"


def _bad_village_code():
    return [make_record(2, village_code="15078210120")], "village_code", "12 digits"


def _village_outside_township():
    return [make_record(3, village_code="150782999201")], "village_code", "township code"


def _wrong_types():
    record = make_record(4, registration_year="2014")
    record["members"][0]["birth_date"] = 19800101
    return [record], "registration_year", "integer"


def _unknown_field():
    return [make_record(5, colour="red")], "colour", "unknown"


def _id_birth_date_mismatch():
    record = make_record(6)
    record["members"][0]["birth_date"] = "1999-01-01"
    return [record], "members.0.id_number", "birth date"


def _exit_year_missing():
    return [make_record(7, status="exited", exit_year=None)], "exit_year", "required"


@pytest.mark.parametrize("case", [_wrong_check_digit, _bad_village_code, _village_outside_township,
                                  _wrong_types, _unknown_field, _id_birth_date_mismatch, _exit_year_missing])
def test_an_invalid_record_rejects_the_whole_batch(client, bearer, seeded, case):
    bad, field, words = case()
    records = make_records(3, start=50) + bad  # valid records first: they must not be applied
    response = post_batch(client, {**bearer, "Accept-Language": "en"}, records)
    assert response.status_code == 422 and response.json["code"] == "household.invalid"
    details = response.json["details"]
    assert any(d["index"] == 3 and d["field"] == field and words.lower() in d["message"].lower()
               for d in details), details
    assert snapshot() == seeded


def test_every_error_of_every_record_is_listed(client, bearer, seeded):
    records = [make_record(60, colour="x"), make_record(61), make_record(62, status="bogus", phone=5)]
    details = post_batch(client, bearer, records).json["details"]
    assert {(d["index"], d["field"]) for d in details} == {(0, "colour"), (2, "status"), (2, "phone")}
    assert snapshot() == seeded


def test_the_same_household_twice_in_a_batch(client, bearer, seeded):
    record = make_record(70)
    response = post_batch(client, {**bearer, "Accept-Language": "en"},
                          [record, make_record(71), dict(record)])
    assert response.status_code == 422
    assert response.json["details"] == [{
        "index": 2, "archive_id": record["archive_id"], "field": "archive_id",
        "message": "the same household is already record 0 of this batch"}]
    assert snapshot() == seeded


def test_5001_records_are_refused(client, bearer, seeded):
    records = [make_record(0)] * 5001
    response = post_batch(client, bearer, records)
    assert response.status_code == 413 and response.json["code"] == "household.batch_too_large"
    assert "5000" in response.json["message"]
    assert snapshot() == seeded


def test_a_100_mb_body_is_refused_before_parsing(client, bearer, seeded):
    body = b"[" + b" " * (100 * 1024 * 1024) + b"]"
    response = client.post(URL, data=body, content_type="application/json", headers=bearer)
    assert response.status_code == 413 and response.json["code"] == "request.too_large"
    assert snapshot() == seeded


def test_invalid_utf8_and_not_json(client, bearer, seeded):
    bad_utf8 = client.post(URL, data=b'[{"archive_id": "\xff\xfe"}]', content_type="application/json",
                           headers=bearer)
    assert bad_utf8.status_code == 400 and bad_utf8.json["code"] == "request.bad_encoding"
    not_json = client.post(URL, data=b"[{archive_id:", content_type="application/json", headers=bearer)
    assert not_json.status_code == 400 and not_json.json["code"] == "request.bad_json"
    not_list = post_batch(client, bearer, {"archive_id": "x"})
    assert not_list.status_code == 422
    assert snapshot() == seeded


def test_missing_revoked_and_foreign_tokens(client, bearer, evaluation, seeded):
    records = make_records(2, start=80)
    missing = post_batch(client, {}, records)
    assert missing.status_code == 401 and missing.json["code"] == "auth.required"
    row, secret = api_tokens.create_token(evaluation, "old", "import", actor="test")
    api_tokens.revoke_token(row, actor="test")
    other, foreign = make_evaluation("county2"), None
    _, foreign = api_tokens.create_token(other, "theirs", "import", actor="test")
    _, reader = api_tokens.create_token(evaluation, "reader", "read", actor="test")
    db.session.commit()
    seeded = snapshot()
    revoked = post_batch(client, {"Authorization": f"Bearer {secret}"}, records)
    assert revoked.status_code == 401 and revoked.json["code"] == "auth.bad_token"
    wrong = post_batch(client, {"Authorization": f"Bearer {foreign}"}, records)
    assert wrong.status_code == 404 and wrong.json["code"] == "evaluation.not_found"
    read_only = post_batch(client, {"Authorization": f"Bearer {reader}"}, records)
    assert read_only.status_code == 403
    assert snapshot() == seeded

"""POST households/batch: all or none, unchanged resends, Idempotency-Key, and the read endpoints."""
import json

from server.infra.extensions import db
from server.households.prepare import id_numbers
from server.households.service import get_household
from testkit.household_factories import make_record, make_records
from tests.integration.households.conftest import post_batch, snapshot


def test_a_batch_creates_households_with_masked_ids_and_a_card(client, bearer, evaluation):
    records = make_records(20)
    response = post_batch(client, bearer, records)
    assert response.status_code == 200, response.json
    assert response.json == {"received": 20, "created": 20, "updated": 0, "unchanged": 0,
                             "last_change_seq": 20}
    one = client.get(f"/api/v1/evaluations/county1/households/{records[3]['archive_id']}", headers=bearer)
    member = one.json["record"]["members"][0]
    assert "id_number" not in member and "*" in member["id_number_masked"]
    assert records[3]["members"][0]["id_number"] not in one.get_data(as_text=True)
    household = get_household(evaluation.id, records[3]["archive_id"])
    assert id_numbers(household) == [m["id_number"] for m in records[3]["members"]]
    assert records[3]["members"][0]["id_number"] not in household.id_numbers_encrypted
    assert len(household.tokens) == 1


def test_the_same_batch_twice_changes_nothing(client, bearer):
    records = make_records(10)
    assert post_batch(client, bearer, records).status_code == 200
    before = snapshot()
    again = post_batch(client, bearer, records)
    assert again.json["unchanged"] == 10 and again.json["created"] == again.json["updated"] == 0
    assert snapshot() == before


def test_a_real_change_bumps_version_and_change_seq(client, bearer, evaluation):
    records = make_records(3)
    post_batch(client, bearer, records)
    records[1]["phone"] = "13900000000"
    response = post_batch(client, bearer, records)
    assert response.json["updated"] == 1 and response.json["unchanged"] == 2
    changed = get_household(evaluation.id, records[1]["archive_id"])
    assert (changed.version, changed.change_seq) == (2, 4)
    assert get_household(evaluation.id, records[0]["archive_id"]).version == 1


def test_idempotency_key_replays_and_refuses_another_body(client, bearer):
    records = make_records(5)
    headers = {**bearer, "Idempotency-Key": "batch-0001"}
    first = post_batch(client, headers, records)
    replay = post_batch(client, headers, records)
    assert replay.status_code == 200 and replay.json == {**first.json, "replayed": True}
    before = snapshot()
    other = post_batch(client, headers, make_records(5, start=100))
    assert other.status_code == 409 and other.json["code"] == "idempotency.key_reused"
    assert snapshot() == before


def test_idempotency_key_ignores_key_order_and_spacing(client, bearer):
    records = make_records(3)
    headers = {**bearer, "Idempotency-Key": "batch-0002", "Content-Type": "application/json"}
    url = "/api/v1/evaluations/county1/households/batch"
    first = client.post(url, data=json.dumps(records), headers=headers)
    reordered = [dict(reversed(list(record.items()))) for record in records]
    again = client.post(url, data=json.dumps(reordered, indent=2, ensure_ascii=False), headers=headers)
    assert again.status_code == 200 and again.json == {**first.json, "replayed": True}


def test_list_with_cursor_and_filters(client, bearer):
    post_batch(client, bearer, make_records(7, village=1) + make_records(5, village=2))
    seen, cursor = [], None
    while True:
        query = {"limit": 5, **({"cursor": cursor} if cursor else {})}
        page = client.get("/api/v1/evaluations/county1/households", query_string=query, headers=bearer).json
        seen += [h["archive_id"] for h in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == 12 and seen == sorted(seen)
    village2 = make_record(0, village=2)["village_code"]
    only = client.get("/api/v1/evaluations/county1/households", headers=bearer,
                      query_string={"village_code": village2}).json["items"]
    assert len(only) == 5 and {h["village_code"] for h in only} == {village2}


def test_withdraw_keeps_the_household_and_feeds_the_change(client, bearer):
    records = make_records(3)
    post_batch(client, bearer, records)
    target = records[0]["archive_id"]
    gone = client.post(f"/api/v1/evaluations/county1/households/{target}/withdraw", json={"reason": "dup"},
                       headers=bearer)
    assert gone.status_code == 200 and gone.json["withdrawn_at"]
    deleted = client.delete(f"/api/v1/evaluations/county1/households/{target}", headers=bearer)
    assert deleted.status_code == 200
    feed = client.get("/api/v1/evaluations/county1/households/changes", query_string={"since": 3},
                      headers=bearer).json
    assert [(c["archive_id"], c["change_seq"]) for c in feed["items"]] == [(target, 4)]
    assert feed["next_since"] == 4 and feed["has_more"] is False
    listed = client.get("/api/v1/evaluations/county1/households", query_string={"withdrawn": "true"},
                        headers=bearer).json["items"]
    assert [h["archive_id"] for h in listed] == [target]
    # sending the record again restores it
    assert post_batch(client, bearer, records[:1]).json["updated"] == 1


def test_the_openapi_document_lists_the_register_routes(client, bearer):
    paths = client.get("/api/v1/openapi.json").json["paths"]
    for path in ("/api/v1/evaluations/{code}/households/batch", "/api/v1/evaluations/{code}/households",
                 "/api/v1/evaluations/{code}/households/{archive_id}",
                 "/api/v1/evaluations/{code}/households/changes", "/api/v1/evaluations/{code}/samples",
                 "/api/v1/evaluations/{code}/assignments",
                 "/api/v1/evaluations/{code}/villages/{village_code}/cards"):
        assert path in paths, path
    db.session.rollback()

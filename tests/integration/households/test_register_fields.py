"""What the archive sends and evaluators need from the register: the return-to-poverty year (返贫), members'
health, labour and schooling optional (unknown is a value), and the household's current card token."""
from server.infra.extensions import db
from server.models import Household, HouseholdToken
from testkit.factories import make_evaluation, make_user
from testkit.household_factories import make_record
from tests.integration.households.conftest import post_batch, sign_in

URL = "/api/v1/evaluations/county1/households"


def test_return_year_and_unknown_member_fields(client, bearer, admin_headers):
    record = make_record(1, status="returned", exit_year=2018, return_year=2019)
    for member in record["members"]:
        for key in ("health", "labour", "school"):
            member.pop(key, None)
    answer = post_batch(client, bearer, [record])
    assert answer.status_code == 200, answer.json
    shown = client.get(f"{URL}/{record['archive_id']}", headers=admin_headers).json
    stored = shown.get("record", shown)
    assert stored["return_year"] == 2019
    assert {m["health"] for m in stored["members"]} == {"unknown"}
    assert {m["labour"] for m in stored["members"]} == {"unknown"}
    early = make_record(2, status="returned", exit_year=2018, return_year=2016)
    never = make_record(3, status="not_exited", return_year=2019)
    bad = post_batch(client, bearer, [early, never])
    assert bad.status_code == 422, bad.json
    text = str(bad.json)
    assert "is before the exit year" in text and "never exited" in text
    wrong = make_record(4)
    wrong["members"][0]["health"] = "so-so"
    assert post_batch(client, bearer, [wrong]).status_code == 422


def test_an_authorised_user_reads_the_current_card_token(client, bearer, admin_headers):
    record = make_record(5)
    assert post_batch(client, bearer, [record]).status_code == 200
    household = db.session.query(Household).filter_by(archive_id=record["archive_id"]).one()
    token = db.session.query(HouseholdToken.token).filter_by(household_id=household.id).scalar()
    card = client.get(f"{URL}/{record['archive_id']}/card", headers=admin_headers)
    assert card.status_code == 200 and card.json["token"] == token and card.json["url"].endswith(token)
    reissued = client.post(f"{URL}/{record['archive_id']}/card", headers=bearer).json["token"]
    assert client.get(f"{URL}/{record['archive_id']}/card", headers=admin_headers).json["token"] == reissued
    make_user("other1", "supervisor", make_evaluation("county2"))
    other = sign_in(client, "other1")
    assert client.get(f"{URL}/{record['archive_id']}/card", headers=other).status_code == 404


def test_a_card_printed_before_the_import_is_accepted_and_a_collision_refused(client, bearer, admin_headers):
    printed = make_record(6, card_token="PrintedCard000006")
    assert post_batch(client, bearer, [printed]).status_code == 200
    card = client.get(f"{URL}/{printed['archive_id']}/card", headers=admin_headers).json
    assert card["token"] == "PrintedCard000006"
    stored = client.get(f"{URL}/{printed['archive_id']}", headers=admin_headers).json
    assert "card_token" not in str(stored)
    before = db.session.query(Household).count()
    clash = post_batch(client, bearer, [make_record(7, card_token="PrintedCard000006")])
    assert (clash.status_code, clash.json["code"]) == (409, "household.card_token_taken")
    twice = post_batch(client, bearer, [make_record(8, card_token="SameCard00000008"),
                                        make_record(9, card_token="SameCard00000008")])
    assert twice.status_code == 409 and len(twice.json["details"]) == 2
    db.session.rollback()
    assert db.session.query(Household).count() == before  # all or none

"""The phone's register CSV: only the enumerator's households, only the asked-for columns, blind mode."""
import csv
import io

import pytest

from server.infra.errors import Problem
from server.infra.extensions import db
from server.households import assignments
from server.households.register_media import REGISTER_MEDIA_NAME, register_csv, register_md5
from server.households.service import get_household
from testkit.factories import make_enumerator
from testkit.household_factories import make_records
from tests.integration.households.conftest import post_batch


@pytest.fixture
def assigned(client, bearer, evaluation):
    village1, village2 = make_records(4, village=1), make_records(3, village=2)
    post_batch(client, bearer, village1 + village2 + make_records(2, village=3))
    enumerator, _ = make_enumerator(evaluation, "away")
    other, _ = make_enumerator(evaluation, "other")
    for record in village1[:2]:
        assignments.assign(evaluation, enumerator, "test", household=get_household(evaluation.id,
                                                                                   record["archive_id"]))
    assignments.assign(evaluation, enumerator, "test", village_code=village2[0]["village_code"])
    assignments.assign(evaluation, other, "test", household=get_household(evaluation.id,
                                                                          village1[3]["archive_id"]))
    db.session.commit()
    return enumerator, village1[:2] + village2


def _rows(data):
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_only_assigned_households_and_only_the_asked_columns(assigned):
    enumerator, expected = assigned
    assert REGISTER_MEDIA_NAME == "fc_households.csv"
    data = register_csv(enumerator)
    rows = _rows(data)
    assert list(rows[0]) == ["name", "label", "village", "head_name"]
    assert [r["head_name"] for r in rows] == [r["head_name"] for r in expected]
    assert all(r["name"] and r["label"] == f"{r['head_name']} · {r['village']}" for r in rows)
    for record in expected:
        assert record["members"][0]["id_number"].encode() not in data
    assert register_md5(enumerator) == register_md5(enumerator)


def test_blind_mode_leaves_out_register_values(assigned, evaluation):
    enumerator, _ = assigned
    fields = ("token", "village", "head_name", "member_count", "status")
    assert "status" in _rows(register_csv(enumerator, fields))[0]
    evaluation.settings = {"blind": True}
    db.session.commit()
    assert list(_rows(register_csv(enumerator, fields))[0]) == ["name", "label", "village", "head_name"]


def test_id_numbers_can_never_be_asked_for(assigned):
    enumerator, _ = assigned
    with pytest.raises(Problem) as caught:
        register_csv(enumerator, ("token", "id_number"))
    assert caught.value.code == "register.field_not_allowed"


def test_the_file_follows_every_change_that_shows_in_it(assigned, client, bearer, evaluation):
    """Made files are kept between manifests; each kind of change still gives a new file."""
    from server.households import tokens
    from server.models import Assignment

    enumerator, expected = assigned
    first = register_csv(enumerator)
    assert register_csv(enumerator) is first  # unchanged: the kept file

    head = {**expected[0]["members"][0], "name": "王改名"}
    renamed = {**expected[0], "head_name": "王改名", "members": [head, *expected[0]["members"][1:]]}
    assert post_batch(client, bearer, [renamed]).status_code == 200
    assert "王改名" in _rows(register_csv(enumerator))[0]["head_name"]

    household = get_household(evaluation.id, expected[1]["archive_id"])
    old_token = _rows(register_csv(enumerator))[1]["name"]
    tokens.revoke(household, "test", reissue=True)
    db.session.commit()
    new_token = _rows(register_csv(enumerator))[1]["name"]
    assert new_token != old_token

    village = db.session.query(Assignment).filter_by(enumerator_id=enumerator.id).filter(
        Assignment.village_code.isnot(None)).one()
    assignments.revoke(village, "test")
    db.session.commit()
    assert len(_rows(register_csv(enumerator))) == 2

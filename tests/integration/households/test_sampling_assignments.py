"""Samples are reproducible from their seed; substitutes are recorded; recusal refuses, admins override."""
from sqlalchemy import select

from server.infra.extensions import db
from server.models import AuditEntry, SampleUnit
from server.households import sampling
from testkit.factories import make_enumerator, make_user
from testkit.household_factories import make_records
from tests.integration.households.conftest import post_batch, sign_in, snapshot

DESIGN = {"method": "systematic", "per_village": True, "size": 3, "screening_villages": 1}


def _register(client, bearer):
    for village in (1, 2, 3):
        assert post_batch(client, bearer, make_records(20, village=village)).status_code == 200


def _units(sample_id):
    return [(u.stratum, u.rank, u.household_id, u.village_code) for u in db.session.execute(
        select(SampleUnit).where(SampleUnit.sample_id == sample_id).order_by(SampleUnit.id)).scalars()]


def test_the_same_seed_draws_the_same_sample(client, bearer, admin_headers, evaluation):
    _register(client, bearer)
    url = "/api/v1/evaluations/county1/samples"
    first = client.post(url, json={"name": "a", "design": DESIGN}, headers=admin_headers)
    assert first.status_code == 201, first.json
    seed = first.json["seed"]
    again = client.post(url, json={"name": "b", "seed": seed, "design": DESIGN}, headers=admin_headers)
    assert _units(first.json["id"]) == _units(again.json["id"])
    strata = {u["stratum"] for u in first.json["units"]}
    assert "screening" in strata and all(s == "screening" or "/" in s for s in strata)
    other = client.post(url, json={"name": "c", "seed": seed + "x", "design": {**DESIGN, "method": "random"}},
                        headers=admin_headers)
    assert _units(other.json["id"]) != _units(first.json["id"])
    bad = client.post(url, json={"name": "d", "design": {"size": 3, "share": 0.5}}, headers=admin_headers)
    assert bad.status_code == 422


def test_shares_per_status_stratum(app, client, bearer, evaluation):
    _register(client, bearer)
    sample = sampling.draw_sample(evaluation, "share", {"share": 0.5}, "test", seed="s1")
    units = _units(sample.id)
    assert {u[0] for u in units} <= {"exited", "not_exited"} and 25 <= len(units) <= 32


def test_a_substitute_is_recorded_with_its_reason(client, bearer, admin_headers, runner):
    _register(client, bearer)
    sample = client.post("/api/v1/evaluations/county1/samples", json={"name": "a", "design": {"size": 2}},
                         headers=admin_headers).json
    unit = sample["units"][0]
    url = f"/api/v1/evaluations/county1/samples/{sample['id']}/units/{unit['id']}/substitute"
    sub = client.post(url, json={"reason": "absent", "note": "外出务工"}, headers=admin_headers)
    assert sub.status_code == 201 and sub.json["substitute_for_id"] == unit["id"]
    assert sub.json["stratum"] == unit["stratum"] and sub.json["substitute_reason"] == "absent: 外出务工"
    again = client.post(url, json={"reason": "refused"}, headers=admin_headers)
    assert again.status_code == 409 and again.json["code"] == "sample.already_replaced"
    other = sample["units"][1]["id"]
    result = runner.invoke(args=["samples", "substitute", "county1", str(sample["id"]), str(other),
                                 "--reason", "refused"])
    assert result.exit_code == 0, result.output


def test_recusal_refuses_an_enumerator_from_the_same_county(client, bearer, evaluation):
    records = make_records(2)
    post_batch(client, bearer, records)
    make_enumerator(evaluation, "local", county="阿尔山市", township="x", village="y", county_code="150782")
    make_enumerator(evaluation, "away", county="凉城县", township="岱海镇", village="东营子村")
    make_user("sup1", "supervisor", evaluation)
    headers = sign_in(client, "sup1")
    url = "/api/v1/evaluations/county1/assignments"
    before = snapshot()
    refused = client.post(url, json={"enumerator": "local", "archive_id": records[0]["archive_id"]},
                          headers={**headers, "Accept-Language": "en"})
    assert refused.status_code == 409 and refused.json["code"] == "assignment.recusal"
    assert "same county" in refused.json["message"]
    forbidden = client.post(url, json={"enumerator": "local", "archive_id": records[0]["archive_id"],
                                       "override_justification": "no one else speaks the dialect"},
                            headers=headers)
    assert forbidden.status_code == 403
    assert snapshot() == before
    ok = client.post(url, json={"enumerator": "away", "archive_id": records[0]["archive_id"]},
                     headers=headers)
    assert ok.status_code == 201


def test_an_admin_override_is_stored_and_audited(client, bearer, evaluation, admin_headers, runner):
    records = make_records(2)
    post_batch(client, bearer, records)
    make_enumerator(evaluation, "local", county="阿尔山市", township="白狼镇", village="第1村")
    why = "the only Mongolian speaker on the team; paired with an outside enumerator"
    response = client.post("/api/v1/evaluations/county1/assignments", headers=admin_headers,
                           json={"enumerator": "local", "archive_id": records[0]["archive_id"],
                                 "override_justification": why})
    assert response.status_code == 201 and response.json["override_justification"] == why
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "assignment.override")).scalar()
    assert entry.details["justification"] == why and "same county" in entry.details["recusal"]
    cli = runner.invoke(args=["assignments", "create", "county1", "local", "--village",
                              records[0]["village_code"]])
    assert cli.exit_code != 0 and "assignment.recusal" in cli.output
    cli = runner.invoke(args=["assignments", "create", "county1", "local", "--village",
                              records[0]["village_code"], "--override", why])
    assert cli.exit_code == 0 and "overridden" in cli.output


def test_the_recusal_level_is_a_setting(client, bearer, evaluation, admin_headers):
    evaluation.settings = {"recusal_level": "village"}
    db.session.commit()
    records = make_records(1)
    post_batch(client, bearer, records)
    make_enumerator(evaluation, "neighbour", county="阿尔山市", township="白狼镇", village="别的村")
    response = client.post("/api/v1/evaluations/county1/assignments", headers=admin_headers,
                           json={"enumerator": "neighbour", "archive_id": records[0]["archive_id"]})
    assert response.status_code == 201

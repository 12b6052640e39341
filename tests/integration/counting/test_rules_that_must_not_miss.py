"""Rules that must not miss (and must stay silent when they should): identical answers flag both twins
whatever the sync order; an assignment covers what it says; an unknown card is a finding, not geography."""
from server.pipeline import outbox
from server.infra.extensions import db
from server.households import sampling
from server.models import FigureArea, Household, Submission
from testkit.factories import make_enumerator
from testkit.figures_factories import fields_for, visit_start
from tests.integration.counting.conftest import VILLAGE, county, figures, findings, run_worker, viewer  # noqa
from tests.integration.recusal.conftest import sign_in
from testkit.recusal_factories import interview_fields, submit


def _twin(county, i, **overrides):  # noqa: F811
    """Household i's interview with the answers of seed 1 (every household answers alike: copied)."""
    household, token = county.household(i)
    fields = interview_fields(token, household, seed=1, start=visit_start(household), **overrides)
    return submit(county.evaluation, county.enumerator, fields).id


def test_identical_answers_flag_both_twins_whatever_the_sync_order(county, client):  # noqa: F811
    first = _twin(county, 0)
    run_worker()
    headers = viewer(client, county)
    assert findings(client, headers, first)[0].get("FAB-01") is None  # alone, nothing to compare
    # The twin differs only in the circumstances of the visit: time, GPS, who was present.
    second = _twin(county, 1, present=("respondent", "hh_member"), household__head_present="no")
    run_worker()
    assert findings(client, headers, second)[0]["FAB-01"] == "found"
    assert findings(client, headers, first)[0]["FAB-01"] == "found"  # re-checked when its twin arrived
    # A household that answered one substantive item differently is no twin, and flags nobody.
    different = _twin(county, 2, income__b8="6000_10000")
    run_worker()
    outcomes, _ = findings(client, headers, different)
    assert outcomes.get("FAB-01") != "found"
    instance_id = db.session.get(Submission, first).instance_id
    detail = client.get(f"/api/v1/evaluations/county1/submissions/{instance_id}", headers=headers).json
    twins = next(f for f in detail["findings"] if f["code"] == "FAB-01")["evidence"]["identical_to"]
    assert twins == [db.session.get(Submission, second).instance_id]


def test_a_screening_assignment_does_not_cover_the_villages_registered_households(county, client):  # noqa
    screener, _ = make_enumerator(county.evaluation, "enum2", display_name="王排查", county="海淀区",
                                  county_code="110108")
    from server.households import assignments as household_assignments

    household_assignments.assign(county.evaluation, screener, "test", village_code=VILLAGE,
                                 actor_is_admin=True)
    db.session.commit()
    household, token = county.household(0)
    scanned = submit(county.evaluation, screener, fields_for(token, household, enumerator="enum2")).id
    fields = fields_for(None, None, enumerator="enum2", start="2021-05-03T09:00:00.000+08:00")
    fields["card"] = {"card_status": "not_registered", "hh_qr": ""}
    fields["household"]["hh_type"] = "non_registered"
    screened = submit(county.evaluation, screener, fields).id
    run_worker()
    headers = viewer(client, county)
    assert findings(client, headers, scanned)[0]["IDN-03"] == "found"
    assert findings(client, headers, screened)[0].get("IDN-03") is None  # covered by the screening


def test_a_substitute_is_assigned_once_the_substitution_is_recorded(county, client):  # noqa: F811
    visitor, _ = make_enumerator(county.evaluation, "enum2", display_name="王调查", county="海淀区",
                                 county_code="110108")
    sample = sampling.draw_sample(county.evaluation, "exit", {"size": 1}, "test", seed="s1")
    db.session.commit()
    unit = sample_units(sample.id)[0]
    admin = sign_in(client, "admin1", "admin", county.evaluation)
    answer = client.post("/api/v1/evaluations/county1/assignments", headers=admin,
                         json={"enumerator": "enum2", "sample_unit_id": unit.id,
                               "archive_id": db.session.get(Household, unit.household_id).archive_id})
    assert answer.status_code == 201, answer.json
    others = {}
    for i in range(4):
        household, token = county.household(i)
        if household.id != unit.household_id:
            others[household.id] = submit(county.evaluation, db.session.get(type(visitor), visitor.id),
                                          fields_for(token, household, enumerator="enum2")).id
    run_worker()
    headers = admin
    assert {findings(client, headers, row)[0]["IDN-03"] for row in others.values()} == {"found"}
    url = f"/api/v1/evaluations/county1/samples/{sample.id}/units/{unit.id}/substitute"
    substitute = client.post(url, headers=admin, json={"reason": "absent", "note": "外出务工"})
    assert substitute.status_code == 201, substitute.json
    for row in others.values():
        outbox.emit("submission.recheck", {"submission_id": row}, county.evaluation_id)
    db.session.commit()
    run_worker()
    chosen = db.session.query(Household.id).filter_by(evaluation_id=county.evaluation_id,
                                                      archive_id=substitute.json["archive_id"]).scalar()
    assert findings(client, headers, others[chosen])[0].get("IDN-03") is None
    unchosen = [row for h, row in others.items() if h != chosen]
    assert {findings(client, headers, row)[0]["IDN-03"] for row in unchosen} == {"found"}


def sample_units(sample_id):
    from server.models import SampleUnit
    return db.session.query(SampleUnit).filter_by(sample_id=sample_id).order_by(SampleUnit.id).all()


def test_an_unknown_card_is_a_finding_not_new_geography(county, client):  # noqa: F811
    households_before = db.session.query(Household).count()
    fields = fields_for("UnknownCard0001", None, start="2021-05-04T09:00:00.000+08:00")
    fields["cover"]["village_code"] = "999999999999"
    row = submit(county.evaluation, county.enumerator, fields).id
    run_worker()
    headers = viewer(client, county)
    outcomes, status = findings(client, headers, row)
    assert outcomes["IDN-02"] == "found" and status == "review"
    assert db.session.query(Household).count() == households_before
    assert db.session.query(FigureArea).filter(FigureArea.village_code.like("999999%")).count() == 0
    _, document = figures(client, headers, level="county")
    assert {area["code"] for area in document["areas"]} <= {None, "150782"}
    # The supervisor links it to the right household: checked again, counted in that household's village.
    supervisor = sign_in(client, "sup1", "supervisor", county.evaluation)
    instance_id = db.session.get(Submission, row).instance_id
    url = f"/api/v1/evaluations/county1/submissions/{instance_id}/household"
    household, _ = county.household(3)
    missing = client.post(url, headers=supervisor, json={"archive_id": "nobody", "reason": "核对户主姓名后关联。"})
    assert (missing.status_code, missing.json["code"]) == (404, "household.not_found")
    body = {"archive_id": household.archive_id, "reason": "核对户主姓名和门牌后关联到本户。"}
    linked = client.post(url, headers=supervisor, json=body)
    assert linked.status_code == 201, linked.json
    run_worker()
    outcomes, status = findings(client, headers, row)
    assert outcomes.get("IDN-02") is None and status == "clean", outcomes
    f, document = figures(client, headers, level="village")
    assert [a["code"] for a in document["areas"]] == [VILLAGE]
    assert f["wrongly_exited_rate"]["denominator"] == 4


def test_a_household_chosen_from_the_assigned_list_is_identified(county, client):  # noqa: F811
    household, token = county.household(0)
    fields = fields_for(token, household)
    fields["card"] = {"card_status": "card_unreadable", "hh_qr": "", "hh_pick": token,
                      "card_note": "二维码被雨水泡坏"}
    picked = submit(county.evaluation, county.enumerator, fields).id
    other, other_token = county.household(1)
    fields = fields_for(other_token, other)
    fields["card"] = {"card_status": "card_unreadable", "hh_qr": "", "card_note": "二维码被雨水泡坏"}
    unknown = submit(county.evaluation, county.enumerator, fields).id
    run_worker()
    headers = viewer(client, county)
    outcomes, status = findings(client, headers, picked)
    assert outcomes.get("IDN-01") is None and status == "clean", outcomes
    f, _ = figures(client, headers)
    assert f["wrongly_exited_rate"]["denominator"] == 4  # counted for its household
    assert findings(client, headers, unknown)[0]["IDN-01"] == "found"

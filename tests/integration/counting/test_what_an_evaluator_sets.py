"""What an evaluator must be able to set and record: the recusal level per evaluation (API, CLI, settings);
both readings of 识别准确率 side by side, in persons and households."""
from server.infra.extensions import db
from server.models import AuditEntry, Evaluation
from testkit.factories import make_enumerator
from testkit.figures_factories import fields_for
from testkit.recusal_factories import assign, submit
from tests.integration.counting.conftest import county, figures, findings, run_worker, viewer  # noqa: F401
from tests.integration.recusal.conftest import sign_in


def test_the_recusal_level_is_set_per_evaluation(county, client, runner):  # noqa: F811
    # An enumerator from the households' county (阿尔山市 150782) but another township.
    local, _ = make_enumerator(county.evaluation, "enum2", display_name="本县人", county="阿尔山市",
                               township="明水河镇", county_code="150782", township_code="150782102")
    household, token = county.household(0)
    assign(county.evaluation, local, household, justification="本县另一乡镇的调查员，按乡镇回避安排。")
    row = submit(county.evaluation, local, fields_for(token, household, enumerator="enum2")).id
    run_worker()
    headers = viewer(client, county)
    outcomes, status = findings(client, headers, row)
    assert outcomes["REC-02"] == "found" and status == "excluded"  # county level by default
    admin = sign_in(client, "admin1", "admin", county.evaluation)
    assert client.get("/api/v1/evaluations/county1/recusal", headers=admin).json["level"] == "county"
    bad = client.put("/api/v1/evaluations/county1/recusal", headers=admin, json={"level": "street"})
    assert bad.status_code == 422
    answer = client.put("/api/v1/evaluations/county1/recusal", headers=admin, json={"level": "township"})
    assert answer.status_code == 202 and answer.json["rechecking"] >= 1, answer.json
    run_worker()
    outcomes, status = findings(client, headers, row)
    assert outcomes.get("REC-02") is None and status == "clean"  # only one's own township is forbidden
    db.session.expire_all()
    assert db.session.get(Evaluation, county.evaluation_id).settings["recusal_level"] == "township"
    assert db.session.query(AuditEntry).filter_by(action="recusal.level").count() == 1
    shown = runner.invoke(args=["evaluations", "recusal-level", "county1"])
    assert shown.output.strip() == "township"
    changed = runner.invoke(args=["evaluations", "recusal-level", "county1", "county"])
    assert changed.exit_code == 0 and "recusal level county" in changed.output
    run_worker()
    assert findings(client, headers, row)[0]["REC-02"] == "found"


def test_both_readings_of_identification_accuracy_side_by_side(county, client):  # noqa: F811
    county.interview(0)  # registered, clean
    county.interview(1, household__a9="yes")  # registered, 错评 (a civil servant in the family)
    county.screening(size=5, income=1000)  # non-registered, 漏评
    county.screening(size=2, income=9000, start="2021-05-02T15:00:00.000+08:00")  # non-registered, clear
    run_worker()
    f, _ = figures(client, viewer(client, county))
    both, both_h = f["identification_accuracy"], f["identification_accuracy_households"]
    minus, minus_h = (f["identification_accuracy_1_minus_wrongly_registered"],
                      f["identification_accuracy_1_minus_wrongly_registered_households"])
    # persons: registered 4 + 4, non-registered 5 + 2; errors 4 (错评) + 5 (漏评)
    assert (both["numerator"], both["denominator"]) == (6, 15)
    assert (both_h["numerator"], both_h["denominator"]) == (2, 4)
    assert (minus["numerator"], minus["denominator"]) == (4, 8)
    assert (minus_h["numerator"], minus_h["denominator"]) == (1, 2)
    assert minus["unit"] == "persons" and minus_h["unit"] == "households"


def test_an_enumerator_is_created_by_area_codes_with_a_phone(county, client, runner):  # noqa: F811
    admin = sign_in(client, "admin1", "admin", county.evaluation)
    answer = client.post("/api/v1/evaluations/county1/enumerators", headers=admin,
                         json={"username": "enum3", "county_code": "150782", "township_code": "150782101",
                               "phone": "0482-1234567"})
    assert answer.status_code == 201, answer.json
    made = answer.json["enumerator"]
    assert (made["county"], made["township"], made["phone"]) == ("阿尔山市", "白狼镇", "0482-1234567")
    none = client.post("/api/v1/evaluations/county1/enumerators", headers=admin, json={"username": "enum4"})
    assert (none.status_code, none.json["code"]) == (422, "enumerator.place_required")
    shown = runner.invoke(args=["enumerators", "create", "county1", "enum5", "--county-code", "110108",
                                "--phone", "13900000000"])
    assert shown.exit_code == 0, shown.output
    from server.models import Enumerator
    enum5 = db.session.query(Enumerator).filter_by(username="enum5").one()
    assert (enum5.county_code, enum5.county, enum5.phone) == ("110108", "", "13900000000")


def test_an_enumerator_with_the_helpers_phone_is_the_helper(county, client):  # noqa: F811
    # Every registered household's helper is 李帮扶, phone 0482-1234567 (testkit household_factories).
    helper, _ = make_enumerator(county.evaluation, "enum2", display_name="王某", county="海淀区",
                                county_code="110108", phone="0482-1234567")
    stranger, _ = make_enumerator(county.evaluation, "enum3", display_name="赵某", county="海淀区",
                                  county_code="110108", phone="13911112222")
    rows = {}
    for i, enumerator in ((0, helper), (1, stranger)):
        household, token = county.household(i)
        assign(county.evaluation, enumerator, household)
        rows[enumerator.username] = submit(county.evaluation, enumerator,
                                           fields_for(token, household, enumerator=enumerator.username)).id
    run_worker()
    headers = viewer(client, county)
    assert findings(client, headers, rows["enum2"])[0]["REC-03"] == "found"
    assert findings(client, headers, rows["enum3"])[0].get("REC-03") is None

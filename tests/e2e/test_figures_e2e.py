"""End to end: a small synthetic county. The register is imported through the API, interviews are posted over
OpenRosa by a Collect-faithful client, the worker reconciles them, and the figures read over HTTP equal the
values computed here by hand: numerators, denominators, Wilson intervals, pass/fail, and the interviews
behind.

Truths (2021 interviews, income of 2020; exited households exited in 2020, whose national line is 4,000
yuan per person):
village 1: A1 exited 4p fine | A2 exited 3p income 3,000 (错退) | A3 exited 5p house grade D (错退), F2 不认可
           | A4 poor 4p civil servant (错评) | N1 not registered 5p income 2,000 (漏评)
           | N2 not registered 3p fine
village 2: B1 exited 2p fine, F3 一般 (not 认可, work team not satisfied)
           | B2 exited 4p income 1,000 but a village cadre was present: excluded by the rules, never counted
           | B3 poor 3p fine
           | N3 not registered 4p, food not secured (漏评)
"""
import math

import pytest
import requests

from server.accounts import api_tokens
from server.infra.extensions import db
from server.households import assignments as household_assignments
from server.models import Household, HouseholdToken
from testkit.collect_client import CollectClient
from testkit.factories import make_enumerator, make_evaluation
from testkit.figures_factories import fields_for, run_worker
from testkit.household_factories import make_record, village_code
from testkit.recusal_factories import interview_xml, publish_interview_form

pytestmark = pytest.mark.e2e
PHOTOS = [("house.jpg", b"\xff\xd8 house"), ("inside.jpg", b"\xff\xd8 inside"),
          ("sign.jpg", b"\xff\xd8 sign")]
V1, V2 = village_code(1), village_code(2)
REGISTER = {  # key: (village, archive n, persons, status)
    "A1": (1, 1, 4, "exited"), "A2": (1, 2, 3, "exited"), "A3": (1, 3, 5, "exited"),
    "A4": (1, 4, 4, "not_exited"),
    "B1": (2, 1, 2, "exited"), "B2": (2, 2, 4, "exited"), "B3": (2, 3, 3, "not_exited"),
}
NOT_ASKED_UNREGISTERED = {"household__reg_year": "", "household__a8": "", "household__a9": "",
                          "household__a10": "",
                          "household__a11": "", "household__a12": "", "household__a13": "",
                          "endorsement__f2": "", "endorsement__f3": "", "endorsement__f4": ""}


@pytest.fixture
def county(app, live_server):
    app.config["PUBLIC_URL"] = live_server
    evaluation = make_evaluation("county1")
    publish_interview_form(evaluation)
    enumerator, key = make_enumerator(evaluation, "enum1", county="海淀区", county_code="110108")
    _, importer = api_tokens.create_token(evaluation, "archive", "import", actor="test")
    _, reader = api_tokens.create_token(evaluation, "dashboard", "read", actor="test")
    db.session.commit()
    records = [make_record(n, village, members=persons, status=status, seed=n * 31 + village,
                           exit_year=2020 if status == "exited" else None)
               for village, n, persons, status in REGISTER.values()]
    answer = requests.post(f"{live_server}/api/v1/evaluations/county1/households/batch", json=records,
                           headers={"Authorization": f"Bearer {importer}"})
    assert answer.status_code == 200, answer.text
    households = {}
    for name, (village, n, _, _) in REGISTER.items():
        row = db.session.query(Household).filter_by(archive_id=f"{village_code(village)}{n:06d}").one()
        token = db.session.query(HouseholdToken.token).filter_by(household_id=row.id).scalar()
        households[name] = (row, token)
        household_assignments.assign(evaluation, enumerator, "test", household=row)
    for code in (V1, V2):  # 漏评 screening of both villages
        household_assignments.assign(evaluation, enumerator, "test", village_code=code)
    db.session.commit()
    return {"base": live_server, "key": key, "reader": reader, "households": households}


def post(county, fields):
    client = CollectClient(f"{county['base']}/key/{county['key']}/county1")
    instance_id, xml = interview_xml(fields)
    result = client.submit(xml, PHOTOS)
    assert result.ok, (result.statuses, result.error)
    return instance_id


def registered(county, name, hour, **kwargs):
    household, token = county["households"][name]
    village = V1 if name.startswith("A") else V2
    kwargs.setdefault("size", REGISTER[name][2])
    hh_type = "exited" if REGISTER[name][3] == "exited" else "poor"
    if hh_type == "poor":
        kwargs.setdefault("endorsement__f2", "")
    return post(county, fields_for(token, household, start=f"2021-05-01T{hour:02d}:00:00.000+08:00",
                                   cover__village_code=village, household__hh_type=hh_type, **kwargs))


def unregistered(county, village, hour, size, income, **kwargs):
    fields = fields_for(None, None, start=f"2021-05-02T{hour:02d}:00:00.000+08:00", size=size, income=income,
                        cover__village_code=village, card__card_status="not_registered",
                        household__hh_type="non_registered", **{**NOT_ASKED_UNREGISTERED, **kwargs})
    return post(county, fields)


def wilson(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return [max(0.0, centre - half) if k else 0.0, min(1.0, centre + half) if k < n else 1.0]


# Hand-computed (numerator, denominator) per area and figure.
EXPECTED = {
    V1: {"wrongly_exited_rate": (8, 12), "missed_rate": (5, 8), "wrongly_registered_rate": (4, 16),
         "identification_accuracy": (15, 24), "exit_accuracy": (4, 12), "endorsement_rate": (5, 6),
         "work_team_satisfaction": (4, 4), "helper_satisfaction": (4, 4)},
    V2: {"wrongly_exited_rate": (0, 2), "missed_rate": (4, 4), "wrongly_registered_rate": (0, 5),
         "identification_accuracy": (5, 9), "exit_accuracy": (2, 2), "endorsement_rate": (2, 3),
         "work_team_satisfaction": (1, 2), "helper_satisfaction": (2, 2)},
    "150782": {"wrongly_exited_rate": (8, 14), "missed_rate": (9, 12), "wrongly_registered_rate": (4, 21),
               "identification_accuracy": (20, 33), "exit_accuracy": (6, 14), "endorsement_rate": (7, 9),
               "work_team_satisfaction": (5, 6), "helper_satisfaction": (6, 6)},
}
THRESHOLDS = {"wrongly_exited_rate": ("<", 0.02), "missed_rate": ("<", 0.02), "endorsement_rate": (">=", 0.9)}


def check_area(area, expected):
    by_name = {f["name"]: f for f in area["figures"]}
    for name, (k, n) in expected.items():
        figure = by_name[name]
        assert (figure["numerator"], figure["denominator"]) == (k, n), (area["code"], name)
        assert figure["value"] == pytest.approx(k / n), (area["code"], name)
        assert figure["ci95"] == pytest.approx(wilson(k, n)), (area["code"], name)
        if name in THRESHOLDS:
            op, limit = THRESHOLDS[name]
            assert figure["threshold"] == {"op": op, "value": limit}
            passes = (k / n < limit) if op == "<" else (k / n >= limit)
            assert figure["pass"] is passes, (area["code"], name)
        else:
            assert figure["pass"] is None


def test_the_figures_of_a_synthetic_county(county):
    ids = {
        "A1": registered(county, "A1", 8, income=6000),
        "A2": registered(county, "A2", 9, income=3000),
        "A3": registered(county, "A3", 10, income=6000, three_assurances__d10="grade_d",
                         endorsement__f2="no"),
        "A4": registered(county, "A4", 11, income=5000, household__a9="yes"),
        "B1": registered(county, "B1", 13, income=8000, endorsement__f3="3"),
        "B2": registered(county, "B2", 14, income=1000, present=("respondent", "village_cadre")),
        "B3": registered(county, "B3", 15, income=4500),
        "N1": unregistered(county, V1, 9, 5, 2000),
        "N2": unregistered(county, V1, 10, 3, 9000),
        "N3": unregistered(county, V2, 11, 4, 7000, two_worries__c1="no"),
    }
    run_worker()
    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {county['reader']}"
    base = f"{county['base']}/api/v1/evaluations/county1"
    status = {k: api.get(f"{base}/submissions/{v}").json()["status"] for k, v in ids.items()}
    assert status["B2"] == "excluded" and all(s != "excluded" for k, s in status.items() if k != "B2"), status

    villages = api.get(f"{base}/figures", params={"level": "village"}).json()
    assert [a["code"] for a in villages["areas"]] == [V1, V2]
    assert [a["interviews"] for a in villages["areas"]] == [6, 3]
    for area in villages["areas"]:
        check_area(area, EXPECTED[area["code"]])
    for level in ("county", "evaluation"):
        document = api.get(f"{base}/figures", params={"level": level}).json()
        assert len(document["areas"]) == 1 and document["areas"][0]["interviews"] == 9
        check_area(document["areas"][0], EXPECTED["150782"])
        assert any("识别准确率" in text for text in document["assumptions"])
    township = api.get(f"{base}/figures", params={"level": "township"}).json()["areas"]
    assert [a["code"] for a in township] == [V1[:9]]

    behind = api.get(f"{base}/figures/wrongly_exited_rate/interviews", params={"part": "numerator"}).json()
    assert sorted(i["instance_id"] for i in behind["items"]) == sorted([ids["A2"], ids["A3"]])
    denominator = api.get(f"{base}/figures/wrongly_exited_rate/interviews",
                          params={"part": "denominator", "area": V2}).json()
    assert [i["instance_id"] for i in denominator["items"]] == [ids["B1"]]  # B2 excluded
    missed = api.get(f"{base}/figures/missed_rate/interviews").json()
    assert sorted(i["instance_id"] for i in missed["items"]) == sorted([ids["N1"], ids["N3"]])
    detail = api.get(f"{base}/submissions/{ids['A2']}/reconciliation").json()
    assert detail["classification"]["flags"]["wrongly_exited"] == {"verdict": "suspected",
                                                                   "reasons": ["below_line"]}
    assert {c["item"]: c["verdict"] for c in detail["comparisons"]}["income_above_line"] == "differs"

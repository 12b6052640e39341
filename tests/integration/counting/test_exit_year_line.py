"""错退 is judged against the poverty line of the year the household exited, not that of the income year
(issue 16; evaluation.md §1.2: 错退 = an exited household whose income has not stably exceeded the line;
§2.1: a province may use its own higher line, and only 2013 = 2,736 and 2020 = 4,000 have a source, so
any other year's line is the evaluation's to enter and a year without one is never guessed).

The county: exited households of four persons, interviewed in May 2021, so the income answers are for
2020 (line 4,000). The evaluation enters the national line of 2017 and the province's own line of 2018.
Interviews in through the pipeline, classification and figures out through the API.
"""
from server.infra.extensions import db
from server.models import Submission
from testkit.figures_factories import fields_for
from testkit.household_factories import COUNTY
from testkit.recusal_factories import assign, make_households, submit
from tests.integration.counting.conftest import county, figures, run_worker, viewer  # noqa: F401
from tests.integration.recusal.conftest import sign_in

PROVINCE = COUNTY[1]  # 内蒙古自治区, the households' province
LINES = {"national": {"2017": 3000}, PROVINCE: {"2018": 4500}}


def _exited(county, n, exit_year):  # noqa: F811
    """A new exited household (four members) that exited in `exit_year`, assigned to the enumerator."""
    household, token = make_households(county.evaluation, 1, start=20 + n, status="exited", members=4,
                                       exit_year=exit_year)[0]
    assign(county.evaluation, county.enumerator, household)
    return household, token


def _interview(county, household, token, income):  # noqa: F811
    return submit(county.evaluation, county.enumerator, fields_for(token, household, income=income)).id


def _classification(client, headers, submission_id):
    instance_id = db.session.get(Submission, submission_id).instance_id
    answer = client.get(f"/api/v1/evaluations/county1/submissions/{instance_id}/reconciliation",
                        headers=headers)
    assert answer.status_code == 200, answer.json
    return answer.json["classification"]


def _set_lines(client, county):  # noqa: F811
    admin = sign_in(client, "admin1", "admin", county.evaluation)
    answer = client.put("/api/v1/evaluations/county1/reconciliation/settings", headers=admin,
                        json={"poverty_lines": LINES})
    assert answer.status_code == 200, answer.json
    assert answer.json["effective"]["poverty_lines"]["national"] == {"2013": 2736, "2017": 3000, "2020": 4000}


def test_wrongly_exited_is_judged_against_the_line_of_the_exit_year(county, client):  # noqa: F811
    _set_lines(client, county)
    # exit year, its line, the 2020 income (per person): 错退?
    cases = {
        "above_exit_line": (2017, 3500),      # 3,500 >= 3,000 (2017): not 错退, though below 2020's 4,000
        "below_province_line": (2018, 4200),  # 4,200 < 4,500 (the province's own 2018 line): 错退
        "below_2020_line": (2020, 3500),      # 3,500 < 4,000: 错退 (the exit year is the income year)
        "no_line_that_year": (2019, 3500),    # no line entered for 2019: cannot be judged, never guessed
    }
    rows = {}
    for n, (name, (year, income)) in enumerate(cases.items()):
        rows[name] = _interview(county, *_exited(county, n, year), income)
    run_worker()
    headers = viewer(client, county)
    seen = {name: _classification(client, headers, row) for name, row in rows.items()}
    verdicts = {name: c["flags"]["wrongly_exited"]["verdict"] for name, c in seen.items()}
    assert verdicts == {"above_exit_line": "clear", "below_province_line": "suspected",
                        "below_2020_line": "suspected", "no_line_that_year": "undetermined"}
    lines = {name: (c["evidence"]["line"], c["evidence"]["line_year"], c["evidence"]["line_table"])
             for name, c in seen.items()}
    assert lines == {"above_exit_line": (3000, 2017, "national"),
                     "below_province_line": (4500, 2018, PROVINCE),
                     "below_2020_line": (4000, 2020, "national"), "no_line_that_year": (None, 2019, None)}
    assert {c["evidence"]["line_basis"] for c in seen.values()} == {"exit_year"}
    assert {c["evidence"]["income_year"] for c in seen.values()} == {2020}
    f, _ = figures(client, headers)
    # Persons: two 错退 households of four out of four exited households interviewed.
    wrongly_exited = f["wrongly_exited_rate"]
    assert (wrongly_exited["numerator"], wrongly_exited["denominator"]) == (8, 16)
    assert (f["exit_accuracy"]["numerator"], f["exit_accuracy"]["denominator"]) == (8, 16)


def test_the_income_comparison_of_an_exited_household_uses_the_exit_years_line(county, client):  # noqa: F811
    _set_lines(client, county)
    row = _interview(county, *_exited(county, 0, 2017), 3500)
    run_worker()
    instance_id = db.session.get(Submission, row).instance_id
    answer = client.get(f"/api/v1/evaluations/county1/submissions/{instance_id}/reconciliation",
                        headers=viewer(client, county)).json
    above = next(c for c in answer["comparisons"] if c["item"] == "income_above_line")
    assert above["record"] == {"line": 3000, "year": 2017, "table": "national"}
    assert above["verdict"] == "agrees"


def test_missed_is_still_judged_against_the_line_of_the_income_year(county, client):  # noqa: F811
    """The sibling: a household not on the register has no exit year; 漏评 reads the 2020 line (4,000)."""
    _set_lines(client, county)
    missed = county.screening(size=3, income=3500)
    clear = county.screening(size=2, income=4100, start="2021-05-02T15:00:00.000+08:00")
    run_worker()
    headers = viewer(client, county)
    found = {row: _classification(client, headers, row) for row in (missed, clear)}
    assert found[missed]["flags"]["missed"]["verdict"] == "suspected"
    assert found[clear]["flags"]["missed"]["verdict"] == "clear"
    assert {(c["evidence"]["line"], c["evidence"]["line_year"], c["evidence"]["line_basis"])
            for c in found.values()} == {(4000, 2020, "income_year")}
    f, _ = figures(client, headers)
    assert (f["missed_rate"]["numerator"], f["missed_rate"]["denominator"]) == (3, 5)

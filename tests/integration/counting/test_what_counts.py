"""What the figures count (evaluation.md §1.2: 错退率 and 漏评率 in persons, 认可度 in households), built from
a county with known answers: refusals, rules that do not apply, interviews awaiting review, rejected ones,
and one household interviewed twice. Submissions in, figures and findings out through the API."""
import pytest
from lxml import html

from server.infra.extensions import db
from server.models import FigureContribution, Reconciliation, Submission
from tests.integration.counting.conftest import county, figures, findings, run_worker, viewer  # noqa: F401
from tests.integration.recusal.conftest import sign_in

ANSWER_RULES = ("EVD-01", "FAB-01", "FAB-02", "FAB-03", "REC-01", "REC-04", "TIM-01", "TIM-02")


def test_a_refusal_counts_in_the_response_rate_and_nowhere_else(county, client):  # noqa: F811
    county.interview(0)
    county.interview(1)
    refused = county.refusal(2, reason="nobody_home")
    run_worker()
    headers = viewer(client, county)
    f, document = figures(client, headers)
    # Two interviewed exited households of four persons: the refusal adds no person and no household.
    assert (f["wrongly_exited_rate"]["numerator"], f["wrongly_exited_rate"]["denominator"]) == (0, 8)
    assert f["endorsement_rate"]["denominator"] == 2 and f["missed_rate"]["denominator"] == 0
    assert f["wrongly_exited_rate"]["left_out"]["refused"] == 1
    assert (f["response_rate"]["numerator"], f["response_rate"]["denominator"]) == (2, 3)
    assert document["areas"][0]["fieldwork"] == {"visited": 3, "interviewed": 2, "refused": 1,
                                                 "substitutes": 0}
    # Kept with its reason; no answer-dependent rule ran on it, so it does not wait for review.
    db.session.expire_all()
    classification = db.session.get(Reconciliation, refused).classification
    assert (classification["outcome"], classification["refusal_reason"]) == ("refused", "nobody_home")
    outcomes, status = findings(client, headers, refused)
    assert status == "clean"
    assert {outcomes[code] for code in ANSWER_RULES} == {"not_applicable"}
    assert outcomes["IDN-05"] == "not_applicable"  # a refusal is not a second interview either


def test_a_refusal_with_answers_is_still_caught(county, client):  # noqa: F811
    household, token = county.household(0)
    from testkit.figures_factories import fields_for
    from testkit.recusal_factories import submit

    fields = fields_for(token, household)
    fields["consent_grp"] = {"consent": "no", "refuse_reason": "declined"}
    row = submit(county.evaluation, county.enumerator, fields).id
    run_worker()
    outcomes, status = findings(client, viewer(client, county), row)
    assert outcomes["EVD-02"] == "found" and status == "review"


def test_rules_that_do_not_apply_never_send_to_review(county, client):  # noqa: F811
    screened = county.screening(size=5, income=1000)
    run_worker()
    headers = viewer(client, county)
    outcomes, status = findings(client, headers, screened)
    assert status == "clean", outcomes
    for code in ("IDN-03", "IDN-04", "IDN-05", "GPS-03", "REC-03"):
        assert outcomes.get(code) in ("not_applicable", None), (code, outcomes)
    assert "could_not_run" not in outcomes.values()
    f, _ = figures(client, headers)
    assert (f["missed_rate"]["numerator"], f["missed_rate"]["denominator"]) == (5, 5)


def test_a_registered_household_without_its_location_could_not_be_checked(county, client):  # noqa: F811
    from testkit.recusal_factories import assign, make_households

    (household, token), = make_households(county.evaluation, 1, start=10, status="exited", location=None)
    assign(county.evaluation, county.enumerator, household)
    from testkit.figures_factories import fields_for
    from testkit.recusal_factories import submit

    row = submit(county.evaluation, county.enumerator, fields_for(token, household)).id
    run_worker()
    outcomes, status = findings(client, viewer(client, county), row)
    assert outcomes["GPS-03"] == "could_not_run" and status == "review"


def test_screening_outside_the_assigned_villages_is_a_finding(county, client):  # noqa: F811
    screened = county.screening(village="150782101202")
    run_worker()
    outcomes, status = findings(client, viewer(client, county), screened)
    assert outcomes["IDN-03"] == "found" and status == "review"


def test_awaiting_review_is_left_out_until_the_policy_counts_it(county, client):  # noqa: F811
    county.interview(0)
    county.interview(1, cover__gps="47.18 119.95 1200.0 80.0")  # GPS-02: accuracy 80 m > 50 m, review
    county.interview(2, present=("respondent", "village_cadre"))  # REC-01: excluded
    run_worker()
    headers = viewer(client, county)
    f, document = figures(client, headers)
    assert f["wrongly_exited_rate"]["denominator"] == 4
    assert f["wrongly_exited_rate"]["left_out"] == {"refused": 0, "awaiting_review": 1, "rejected": 1,
                                                    "duplicate": 0, "encrypted_not_checked": 0}
    assert document["policy"]["awaiting_review"] == "left_out"
    admin = sign_in(client, "admin1", "admin", county.evaluation)
    answer = client.put("/api/v1/evaluations/county1/reconciliation/settings", headers=admin,
                        json={"count_statuses": ["clean", "cleared", "review"]})
    assert answer.status_code == 200, answer.json
    run_worker()
    f, document = figures(client, headers)
    assert f["wrongly_exited_rate"]["denominator"] == 8  # provisionally; the rejected one never counts
    assert f["wrongly_exited_rate"]["left_out"]["rejected"] == 1
    assert f["wrongly_exited_rate"]["left_out"]["awaiting_review"] == 0
    assert document["policy"]["awaiting_review"] == "counted_provisionally"
    bad = client.put("/api/v1/evaluations/county1/reconciliation/settings", headers=admin,
                     json={"count_statuses": ["clean", "excluded"]})
    assert bad.status_code == 422


def _clear(client, headers, submission_id):
    instance_id = db.session.get(Submission, submission_id).instance_id
    answer = client.post(f"/api/v1/evaluations/county1/submissions/{instance_id}/review", headers=headers,
                         json={"decision": "clear", "reason": "复访：第一次访谈时户主不在家，已核实。"})
    assert answer.status_code == 201, answer.json


def _one_household_twice(county, client, first_day, second_day):  # noqa: F811
    early = county.interview(0, start=f"2021-05-{first_day:02d}T09:00:00.000+08:00")
    run_worker()
    late = county.interview(0, start=f"2021-05-{second_day:02d}T10:00:00.000+08:00")
    run_worker()
    return early, late


@pytest.mark.parametrize("first_day, second_day", [(1, 2), (3, 2)])  # in visit order; later visit first
def test_one_household_counts_once_whatever_the_sync_order(
        county, client, first_day, second_day):  # noqa: F811
    first, second = _one_household_twice(county, client, first_day, second_day)
    later, earlier = (first, second) if first_day > second_day else (second, first)
    headers = viewer(client, county)
    assert findings(client, headers, first)[0]["IDN-05"] == "found"
    assert findings(client, headers, second)[0]["IDN-05"] == "found"
    f, _ = figures(client, headers)
    assert f["wrongly_exited_rate"]["denominator"] == 0  # both wait for review
    assert f["wrongly_exited_rate"]["left_out"]["awaiting_review"] == 2
    supervisor = sign_in(client, "sup1", "supervisor", county.evaluation)
    _clear(client, supervisor, first)
    _clear(client, supervisor, second)
    f, _ = figures(client, headers)
    assert f["wrongly_exited_rate"]["denominator"] == 4  # four persons, once: the later visit
    assert f["wrongly_exited_rate"]["left_out"]["duplicate"] == 1
    db.session.expire_all()
    rows = {r.submission_id: r for r in db.session.query(FigureContribution)}
    assert rows[later].duplicate_of is None
    assert rows[earlier].duplicate_of == db.session.get(Submission, later).root_instance_id


def test_an_approved_interview_counts_before_a_later_one_awaiting_review(county, client):  # noqa: F811
    early, late = _one_household_twice(county, client, 1, 2)
    supervisor = sign_in(client, "sup1", "supervisor", county.evaluation)
    _clear(client, supervisor, early)
    f, _ = figures(client, viewer(client, county))
    assert f["wrongly_exited_rate"]["denominator"] == 4
    assert f["wrongly_exited_rate"]["left_out"]["awaiting_review"] == 1
    assert f["wrongly_exited_rate"]["left_out"]["duplicate"] == 0


def test_each_figure_states_its_population_and_denominator(county, client):  # noqa: F811
    county.interview(0)
    run_worker()
    f, document = figures(client, viewer(client, county))
    for figure in f.values():
        assert figure["population"] and figure["denominator_rule"], figure["name"]
        assert set(figure["left_out"]) == {"refused", "awaiting_review", "rejected", "duplicate",
                                           "encrypted_not_checked"}
    assert "脱贫户" in f["wrongly_exited_rate"]["population"]
    assert "every household" in f["work_team_satisfaction"]["population"]
    assert any("awaiting review" in line for line in document["policy"]["statement"])


def test_work_team_satisfaction_is_asked_of_every_household(county, client):  # noqa: F811
    county.interview(0)
    county.screening()
    run_worker()
    f, _ = figures(client, viewer(client, county))
    assert f["work_team_satisfaction"]["denominator"] == 2  # F3 of the screened household too
    assert f["helper_satisfaction"]["denominator"] == 1  # F4: only a registered household has a helper


def test_the_cli_shows_what_each_figure_left_out_and_the_policy(county, runner):  # noqa: F811
    county.interview(0)
    county.interview(1, cover__gps="47.18 119.95 1200.0 80.0")  # awaiting review
    county.refusal(2, reason="unreachable")
    run_worker()
    shown = runner.invoke(args=["figures", "county1", "--level", "evaluation"])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert "# policy: count_statuses=clean,cleared awaiting_review=left_out" in lines
    assert any(line.startswith("evaluation county1  interviews=1  visited=2 refused=1") for line in lines)
    wrongly_exited = next(line for line in lines if line.strip().startswith("错退率"))
    assert "0/4" in wrongly_exited and "\t1/1/0/0/0\t" in wrongly_exited and "脱贫户" in wrongly_exited


def test_the_report_states_what_each_figure_counts_and_left_out(county, client):  # noqa: F811
    """Issue 16: each figure documents its population and denominator in the API, the CLI and the report."""
    county.interview(0)
    county.interview(1, cover__gps="47.18 119.95 1200.0 80.0")  # awaiting review (a poor GPS fix)
    county.refusal(2, reason="declined")
    run_worker()
    headers = viewer(client, county)
    for lang, title, words in (("zh", "错退率", ("脱贫户", "拒访 1", "待审核 1", "加密未检查 0")),
                               ("en", "wrongly exited (persons)", ("exited", "refused 1", "awaiting review 1",
                                                                   "encrypted, not checked 0"))):
        answer = client.get(f"/api/v1/evaluations/county1/report?lang={lang}", headers=headers)
        assert answer.status_code == 200
        tree = html.fromstring(answer.data)
        section = next(s for s in tree.iter("section") if s.get("id") == "definitions")
        rows = {r[0]: r for r in ([c.text_content() for c in row] for row in section.iter("tr"))}
        wrongly_exited = " | ".join(rows[title])
        for word in words:
            assert word in wrongly_exited, (word, wrongly_exited)
        assert len(rows) == 1 + 12  # the header, and every figure

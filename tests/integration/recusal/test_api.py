"""Rules and interviews through the API: catalogue, settings with re-check and history, the
interview list and detail, and supervisors' review decisions (audited)."""
from server.infra.extensions import db
from server.models import AuditEntry, CheckRun
from tests.integration.recusal.conftest import run_worker, sign_in
from testkit.recusal_factories import at, interview_fields, submit

BASE = "/api/v1/evaluations/county1"


def test_the_catalogue_lists_every_rule(client, world):
    sign_in(client, "viewer", "viewer", world.evaluation)
    rules = client.get("/api/v1/rules").json
    by_code = {r["code"]: r for r in rules}
    assert by_code["REC-01"]["severity"] == "exclude" and by_code["TIM-01"]["severity"] == "review"
    assert {"name": "min_minutes", "default": 15}.items() <= by_code["TIM-01"]["parameters"][0].items()
    assert by_code["GPS-03"]["title"]["zh"] and by_code["GPS-03"]["explanation"]["en"]


def test_a_settings_change_rechecks_and_keeps_the_history(client, world):
    household, token = world.households[0]
    instance = submit(world.evaluation, world.enumerator,
                      interview_fields(token, household, start=at(9, 0), minutes=18)).instance_id
    run_worker()
    headers = sign_in(client, "boss", "admin", world.evaluation)
    assert client.get(f"{BASE}/submissions/{instance}").json["status"] == "clean"

    answer = client.put(f"{BASE}/rules", json={"rules": {"TIM-01": {"params": {"min_minutes": 20}}}},
                        headers=headers)
    assert answer.status_code == 202 and answer.json["rechecking"] == 1
    assert answer.json["effective"]["rules"]["TIM-01"]["params"]["min_minutes"] == 20
    run_worker()
    detail = client.get(f"{BASE}/submissions/{instance}").json
    assert detail["status"] == "review" and detail["codes"] == ["TIM-01"]
    finding = detail["findings"][0]
    assert finding["evidence"] == {"minutes": 18.0, "limit_minutes": 20.0}
    assert [run["codes"] for run in detail["history"]] == [["TIM-01"], []]
    assert [run["current"] for run in detail["history"]] == [True, False]
    assert db.session.query(AuditEntry).filter_by(action="rules.settings").count() == 1


def test_settings_need_manage_and_valid_values(client, world):
    supervisor = sign_in(client, "sup", "supervisor", world.evaluation)
    assert client.put(f"{BASE}/rules", json={}, headers=supervisor).status_code == 403
    client.delete("/api/v1/session", headers=supervisor)
    admin = sign_in(client, "boss", "admin", world.evaluation)
    body = {"rules": {"TIM-01": {"params": {"min_minutes": -3}}}}
    bad = client.put(f"{BASE}/rules", json=body, headers=admin)
    assert bad.status_code == 422 and bad.json["code"] == "request.invalid"


def test_a_supervisor_clears_an_exclusion_with_a_reason(client, world):
    household, token = world.households[0]
    instance = submit(world.evaluation, world.enumerator,
                      interview_fields(token, household, present=("respondent", "helper"))).instance_id
    run_worker()
    headers = sign_in(client, "sup", "supervisor", world.evaluation)
    url = f"{BASE}/submissions/{instance}/review"
    assert client.post(url, json={"decision": "clear", "reason": "short"}, headers=headers).status_code == 422
    answer = client.post(url, json={"decision": "clear", "reason": "帮扶人只是带路，访谈前已离开，组长核实。"},
                         headers=headers)
    assert answer.status_code == 201 and answer.json["status"] == "cleared"
    detail = client.get(f"{BASE}/submissions/{instance}").json
    assert detail["status"] == "cleared" and detail["decisions"][0]["codes"] == ["REC-01"]
    entry = db.session.query(AuditEntry).filter_by(action="submission.review.clear").one()
    assert "带路" in entry.details["reason"]
    # A re-check with nothing new keeps the decision.
    client.post(f"{BASE}/recheck", headers=headers)
    run_worker()
    assert client.get(f"{BASE}/submissions/{instance}").json["status"] == "cleared"


def test_the_list_filters_by_status_rule_enumerator_village_and_day(client, world):
    (h1, t1), (h2, t2) = world.households[:2]
    village = h1.village_code
    submit(world.evaluation, world.enumerator, interview_fields(t1, h1, start=at(9, 0)))
    submit(world.evaluation, world.enumerator, interview_fields(t2, h2, start=at(11, 0), minutes=5))
    run_worker()
    sign_in(client, "viewer", "viewer", world.evaluation)
    everything = client.get(f"{BASE}/submissions").json["items"]
    assert len(everything) == 2
    assert [i["codes"] for i in client.get(f"{BASE}/submissions?rule=TIM-01").json["items"]] == [["TIM-01"]]
    assert len(client.get(f"{BASE}/submissions?status=clean").json["items"]) == 1
    query = "enumerator=enum1&from=2025-05-01&to=2025-05-01"
    assert len(client.get(f"{BASE}/submissions?{query}").json["items"]) == 2
    assert client.get(f"{BASE}/submissions?from=2025-05-02").json["items"] == []
    assert len(client.get(f"{BASE}/submissions?village={village}").json["items"]) == 2
    page = client.get(f"{BASE}/submissions?limit=1").json
    assert len(page["items"]) == 1 and page["next_cursor"]
    rest = client.get(f"{BASE}/submissions?limit=1&after={page['next_cursor']}").json
    assert len(rest["items"]) == 1 and rest["next_cursor"] is None
    assert client.get(f"{BASE}/submissions?status=bogus").status_code == 422


def test_the_same_household_twice_flags_both_interviews(client, world):
    household, token = world.households[0]
    first = submit(world.evaluation, world.enumerator, interview_fields(token, household, start=at(9, 0))).id
    run_worker()
    household, token = world.households[0]
    second = submit(world.evaluation, world.enumerator, interview_fields(token, household, start=at(15, 0),
                                                                         seed=3)).id
    run_worker()
    current = {r.submission_id: r for r in db.session.query(CheckRun).filter_by(current=True)}
    for sid in (first, second):
        assert "IDN-05" in [f.code for f in current[sid].findings if f.outcome == "found"]

"""The worker reconciles each interview after the rules and keeps the figures by delta: re-runs do not double
count, exclusion and clearing move the figures, a supervisor's verdict overrides the suspicion."""
from server.pipeline import outbox
from server.infra.extensions import db
from server.models import FigureContribution, OutboxEvent, Submission
from testkit.figures_factories import fields_for, reconciliation, run_worker, totals, village_rows
from tests.integration.recusal.conftest import sign_in, world  # noqa: F401  (fixture)
from testkit.recusal_factories import submit


def submit_id(world, index, **kwargs):  # noqa: F811
    household, token = world.households[index]
    return submit(world.evaluation, world.enumerator, fields_for(token, household, **kwargs)).id


def test_an_interview_is_reconciled_and_counted(world):  # noqa: F811
    row = submit_id(world, 0)
    run_worker()
    db.session.expire_all()
    result = reconciliation(row)
    assert result is not None and result.household_id == world.household_ids[0]
    verdicts = {c["item"]: c["verdict"] for c in result.comparisons}
    assert verdicts["registered"] == "agrees" and verdicts["household_size"] == "agrees"
    aggregate, recomputed = totals(world.evaluation_id)
    assert aggregate == recomputed and aggregate["interviews"] == 1
    assert db.session.query(OutboxEvent).filter_by(state="failed").count() == 0


def test_running_again_does_not_double_count(world):  # noqa: F811
    rows = [submit_id(world, i, income=1000 if i == 0 else 6000) for i in range(3)]
    run_worker()
    before = totals(world.evaluation_id)[0]
    for row in rows:
        outbox.emit("submission.recheck", {"submission_id": row}, world.evaluation_id)
        outbox.emit("submission.recheck", {"submission_id": row}, world.evaluation_id)
    db.session.commit()
    run_worker()
    db.session.expire_all()
    after, recomputed = totals(world.evaluation_id)
    assert after == before == recomputed
    assert after["interviews"] == 3
    assert db.session.query(FigureContribution).count() == 3


def test_exclusion_and_clearing_move_the_figures(world, client):  # noqa: F811
    excluded = submit_id(world, 0, present=("respondent", "village_cadre"))
    submit_id(world, 1)
    run_worker()
    db.session.expire_all()
    assert db.session.get(Submission, excluded).review_status == "excluded"
    assert totals(world.evaluation_id)[0]["interviews"] == 1
    headers = sign_in(client, "sup1", "supervisor", world.evaluation)
    instance_id = db.session.get(Submission, excluded).instance_id
    answer = client.post(f"/api/v1/evaluations/county1/submissions/{instance_id}/review", headers=headers,
                         json={"decision": "clear", "reason": "干部只是带路，访谈时已离开现场。"})
    assert answer.status_code == 201, answer.json
    db.session.expire_all()
    aggregate, recomputed = totals(world.evaluation_id)
    assert aggregate["interviews"] == 2 and aggregate == recomputed
    answer = client.post(f"/api/v1/evaluations/county1/submissions/{instance_id}/review", headers=headers,
                         json={"decision": "exclude", "reason": "复核确认干部全程在场，排除。"})
    assert answer.status_code == 201, answer.json
    db.session.expire_all()
    assert totals(world.evaluation_id)[0]["interviews"] == 1


def test_a_verdict_overrides_the_suspicion(world, client):  # noqa: F811
    poor = submit_id(world, 0, income=1000)
    run_worker()
    db.session.expire_all()
    assert totals(world.evaluation_id)[0]["wrongly_exited_persons"] == 4
    headers = sign_in(client, "sup1", "supervisor", world.evaluation)
    instance_id = db.session.get(Submission, poor).instance_id
    url = f"/api/v1/evaluations/county1/submissions/{instance_id}/classification"
    answer = client.post(url, headers=headers, json={"flag": "wrongly_exited", "decision": "reject",
                                                     "reason": "收入核实：外出务工收入漏报，已超过标准。"})
    assert answer.status_code == 201, answer.json
    assert answer.json["effective_flags"]["wrongly_exited"] is False
    db.session.expire_all()
    assert totals(world.evaluation_id)[0]["wrongly_exited_persons"] == 0
    outbox.emit("submission.recheck", {"submission_id": poor}, world.evaluation_id)
    db.session.commit()
    run_worker()  # the verdict survives a re-run
    db.session.expire_all()
    assert totals(world.evaluation_id)[0]["wrongly_exited_persons"] == 0


def test_areas_are_villages_and_sum_up(world):  # noqa: F811
    for i in range(4):
        submit_id(world, i)
    run_worker()
    db.session.expire_all()
    rows = village_rows(world.evaluation_id)
    assert list(rows) == ["150782101201"] and rows["150782101201"].interviews == 4
    assert rows["150782101201"].village == "第1村"

"""Around the back-check draw: a back-check is not a second interview of its household; a back-check by the
original enumerator, of a household not drawn, or with no original is flagged and listed on the report;
a draw that cannot give an enumerator a back-checker says so (API and CLI)."""
from server.backchecks import service
from server.infra.extensions import db
from server.models import BackcheckTarget, Enumerator
from testkit.recusal_factories import make_households
from tests.integration.counting.conftest import findings, viewer
from tests.integration.figures.test_backchecks import backcheck_fields, setup, submit_backcheck
from tests.integration.recusal.conftest import run_worker, sign_in, world  # noqa: F401  (fixture)


def _drawn(world):  # noqa: F811
    """The one drawn target (share 0.25 of four interviews), its household, card and back-checker."""
    ids = setup(world)
    _, targets = service.draw(world.evaluation, "test", share=0.25, seed="s2")
    db.session.commit()
    target = db.session.get(BackcheckTarget, targets[0].id)
    household, token = next((h, t) for h, t in world.households if h.id == target.household_id)
    return ids, target, household, token


def test_a_backcheck_is_not_a_second_interview(world, client):  # noqa: F811
    ids, target, household, token = _drawn(world)
    checker = db.session.get(Enumerator, target.backchecker_id)
    row = submit_backcheck(world.evaluation, checker, backcheck_fields(token, household))
    run_worker()
    headers = viewer(client, world)
    outcomes, _ = findings(client, headers, row)
    assert outcomes.get("IDN-05") in (None, "not_applicable") and outcomes.get("BCK-01") is None
    original, _ = findings(client, headers, target.original_submission_id)
    assert original.get("IDN-05") is None
    report = client.get("/api/v1/evaluations/county1/backchecks/report", headers=headers).json
    assert report["backchecks"] == 1 and report["outside_draw"] == []


def test_backchecks_outside_the_draw_are_flagged_and_reported(world, client):  # noqa: F811
    ids, target, household, token = _drawn(world)
    by_original = submit_backcheck(world.evaluation, world.enumerator,
                                   backcheck_fields(token, household, enumerator="enum1"))
    other, other_token = next((h, t) for h, t in world.households if h.id != target.household_id)
    checker = db.session.get(Enumerator, target.backchecker_id)
    not_drawn = submit_backcheck(world.evaluation, checker, backcheck_fields(other_token, other))
    (fresh, fresh_token), = make_households(world.evaluation, 1, start=50)
    no_original = submit_backcheck(world.evaluation, checker, backcheck_fields(fresh_token, fresh))
    run_worker()
    headers = viewer(client, world)
    for row in (by_original, not_drawn, no_original):
        outcomes, status = findings(client, headers, row)
        assert outcomes["BCK-01"] == "found" and status == "review"
    report = client.get("/api/v1/evaluations/county1/backchecks/report", headers=headers).json
    reasons = sorted(item["reason"] for item in report["outside_draw"])
    assert reasons == ["by_original_enumerator", "no_original", "not_drawn"]


def test_a_draw_without_a_possible_backchecker_says_so(world, client, runner):  # noqa: F811
    from testkit.figures_factories import fields_for
    from testkit.recusal_factories import submit

    for household, token in world.households:  # a one-person team
        submit(world.evaluation, world.enumerator, fields_for(token, household))
    run_worker()
    admin = sign_in(client, "admin1", "admin", world.evaluation)
    answer = client.post("/api/v1/evaluations/county1/backchecks/draw", headers=admin,
                         json={"share": 0.5, "seed": "s1"})
    assert answer.status_code == 201, answer.json
    assert answer.json["targets"] == []
    assert answer.json["unassigned"] == [{"enumerator": "enum1", "interviews": 2,
                                          "reason": "no other enumerator in the back-check team"}]
    shown = runner.invoke(args=["backchecks", "draw", "county1", "--seed", "s2", "--share", "1"])
    assert shown.exit_code == 0, shown.output
    # The interviews that found no back-checker stay undrawn: the next draw (share 1) takes all four.
    assert "not assigned: 4 interview(s) of enum1: no other enumerator in the back-check team" in shown.output

"""Settings through the API (validated, audited, re-reconciled), bad queries, and the CLI commands."""
from server.infra.extensions import db
from server.models import AuditEntry, Evaluation
from testkit.figures_factories import fields_for, run_worker
from tests.integration.recusal.conftest import sign_in, world  # noqa: F401  (fixture)
from testkit.recusal_factories import submit


def test_settings_are_validated_merged_and_rerun(world, client):  # noqa: F811
    household, token = world.households[0]
    submit(world.evaluation, world.enumerator, fields_for(token, household))
    run_worker()
    headers = sign_in(client, "admin1", "admin", world.evaluation)
    url = "/api/v1/evaluations/county1/reconciliation/settings"
    bad = client.put(url, headers=headers, json={"poverty_lines": {"national": {"2019": -1}}})
    assert bad.status_code == 422
    settings = {"poverty_lines": {"national": {"2019": 3747}},
                "endorsement": {"answers": ["yes", "5", "4", "3"]}}
    answer = client.put(url, headers=headers, json=settings)
    assert answer.status_code == 200, answer.json
    assert answer.json["queued"] == 1
    assert answer.json["effective"]["poverty_lines"]["national"] == {"2013": 2736, "2019": 3747, "2020": 4000}
    db.session.expire_all()
    assert db.session.get(Evaluation, world.evaluation_id).settings["reconciliation"]["endorsement"]
    assert db.session.query(AuditEntry).filter_by(action="reconciliation.settings").count() == 1
    run_worker()
    assert client.get(url, headers=headers).json["overrides"]["poverty_lines"]


def test_bad_queries_are_problems(world, client):  # noqa: F811
    headers = sign_in(client, "viewer1", "viewer", world.evaluation)
    answer = client.get("/api/v1/evaluations/county1/figures?level=province", headers=headers)
    assert answer.status_code == 422
    missing = client.get("/api/v1/evaluations/county1/figures/nonsense/interviews", headers=headers)
    assert (missing.status_code, missing.json["code"]) == (404, "figures.unknown_figure")
    area = client.get("/api/v1/evaluations/county1/figures?level=village&area=12", headers=headers)
    assert area.json["code"] == "figures.bad_area"
    denied = client.post("/api/v1/evaluations/county1/backchecks/draw", headers=headers, json={})
    assert denied.status_code == 403


def test_cli_figures_and_backcheck_draw(world, runner):  # noqa: F811
    for household, token in world.households:
        submit(world.evaluation, world.enumerator, fields_for(token, household))
    run_worker()
    shown = runner.invoke(args=["figures", "county1", "--level", "village"])
    assert shown.exit_code == 0, shown.output
    assert "village 150782101201  interviews=4" in shown.output and "错退率" in shown.output
    from testkit.factories import make_enumerator

    make_enumerator(world.evaluation, "enum2", county="海淀区", county_code="110108")
    drawn = runner.invoke(args=["backchecks", "draw", "county1", "--seed", "abc"])
    assert drawn.exit_code == 0, drawn.output
    assert "seed abc, share 0.1, 1 back-checks assigned" in drawn.output

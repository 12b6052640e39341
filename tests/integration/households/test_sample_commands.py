"""Samples from the CLI and the API: a draw says what it drew, samples can be listed and shown, and a
sample's units are assigned to an enumerator whole or not at all, each assignment linked to its unit."""
from sqlalchemy import select

from server.infra.extensions import db
from server.models import Assignment, Household, SampleUnit
from testkit.factories import make_enumerator
from testkit.household_factories import make_records
from tests.integration.households.conftest import post_batch, snapshot

DESIGN = ["--method", "systematic", "--per-village", "--size", "3", "--screening-villages", "1"]


def _register(client, bearer):
    for village in (1, 2):
        assert post_batch(client, bearer, make_records(12, village=village)).status_code == 200


def _draw(runner, *extra):
    result = runner.invoke(args=["samples", "draw", "county1", "--name", "第一轮", *DESIGN, *extra])
    assert result.exit_code == 0, result.output
    return result.output


def _units(sample_id):
    return db.session.execute(select(SampleUnit).where(SampleUnit.sample_id == sample_id)
                              .order_by(SampleUnit.id)).scalars().all()


def test_a_draw_prints_its_units_per_stratum_and_where_to_see_them(client, bearer, runner):
    _register(client, bearer)
    output = _draw(runner)
    sample_id = int(output.split()[1])
    units = _units(sample_id)
    strata = {}
    for unit in units:
        strata[unit.stratum] = strata.get(unit.stratum, 0) + 1
    assert f"{len(units)} units" in output.splitlines()[0]
    for stratum, count in strata.items():
        assert any(line.split() == [stratum, str(count)] for line in output.splitlines()), (stratum, output)
    assert f"fieldcheck samples show county1 {sample_id}" in output

    listing = runner.invoke(args=["samples", "list", "county1"]).output
    row = next(line.split() for line in listing.splitlines()[1:] if line.split()[0] == str(sample_id))
    households = sum(1 for u in units if u.household_id)
    assert row[1:4] == [str(households), str(len(units) - households), "0"] and row[-1] == "第一轮"

    shown = runner.invoke(args=["samples", "show", "county1", str(sample_id)]).output
    archive_ids = set(db.session.execute(select(Household.archive_id).where(
        Household.id.in_([u.household_id for u in units if u.household_id]))).scalars())
    assert archive_ids and all(archive_id in shown for archive_id in archive_ids)
    screening = next(u for u in units if u.village_code)
    assert f"village {screening.village_code}" in shown


def test_an_empty_evaluation_says_how_to_draw(client, bearer, runner):
    assert "samples draw county1" in runner.invoke(args=["samples", "list", "county1"]).output


def test_a_sample_is_assigned_with_its_units_and_substitutes(client, bearer, runner, evaluation):
    _register(client, bearer)
    sample_id = int(_draw(runner).split()[1])
    make_enumerator(evaluation, "away", county="凉城县", township="岱海镇", village="东营子村")
    first = next(u for u in _units(sample_id) if u.household_id)
    replaced = runner.invoke(args=["samples", "substitute", "county1", str(sample_id), str(first.id),
                                   "--reason", "absent"])
    assert replaced.exit_code == 0, replaced.output
    live = [u for u in _units(sample_id) if u.outcome is None]

    result = runner.invoke(args=["assignments", "create", "county1", "away", "--sample", str(sample_id)])
    assert result.exit_code == 0, result.output
    assert f"{len(live)} units of sample {sample_id} assigned to away" in result.output
    rows = db.session.execute(select(Assignment).where(Assignment.sample_unit_id.is_not(None))
                              ).scalars().all()
    assert {r.sample_unit_id for r in rows} == {u.id for u in live}
    by_unit = {u.id: u for u in live}
    assert all(r.household_id == by_unit[r.sample_unit_id].household_id
               and r.village_code == (None if r.household_id else by_unit[r.sample_unit_id].village_code)
               for r in rows)
    assert first.id not in {r.sample_unit_id for r in rows}  # the replaced one went to its substitute

    again = runner.invoke(args=["assignments", "create", "county1", "away", "--sample", str(sample_id)])
    assert again.exit_code == 0 and f"0 units of sample {sample_id}" in again.output
    shown = runner.invoke(args=["samples", "show", "county1", str(sample_id)]).output
    assert shown.count(" away") == len(live)


def test_a_sample_refused_by_recusal_assigns_nothing_and_names_every_unit(client, bearer, runner, evaluation):
    _register(client, bearer)
    sample_id = int(_draw(runner).split()[1])
    make_enumerator(evaluation, "local", county="阿尔山市", township="x", village="y", county_code="150782")
    before = snapshot()
    result = runner.invoke(args=["assignments", "create", "county1", "local", "--sample", str(sample_id)])
    assert result.exit_code != 0 and "assignment.recusal" in result.output
    assert "nothing was assigned" in result.output
    assert all(f"unit {u.id}: Refused" in result.output for u in _units(sample_id))
    assert snapshot() == before


def test_the_api_lists_samples_and_assigns_one(client, bearer, runner, evaluation, admin_headers):
    _register(client, bearer)
    sample_id = int(_draw(runner).split()[1])
    make_enumerator(evaluation, "away", county="凉城县", township="岱海镇", village="东营子村")
    listed = client.get("/api/v1/evaluations/county1/samples", headers=admin_headers)
    assert listed.status_code == 200 and listed.json["samples"][0]["id"] == sample_id
    units = [u.id for u in _units(sample_id) if u.household_id][:2]
    url = f"/api/v1/evaluations/county1/samples/{sample_id}/assignments"
    made = client.post(url, json={"enumerator": "away", "units": units}, headers=admin_headers)
    assert made.status_code == 201 and made.json["assigned"] == 2, made.json
    shown = client.get(f"/api/v1/evaluations/county1/samples/{sample_id}", headers=admin_headers).json
    assert {u["id"] for u in shown["units"] if u["assigned_to"] == ["away"]} == set(units)
    unknown = client.post(url, json={"enumerator": "away", "units": [10 ** 9]}, headers=admin_headers)
    assert unknown.status_code == 404 and unknown.json["code"] == "sample.unit_not_found"
    no_csrf = client.post(url, json={"enumerator": "away"})  # the session cookie alone is not enough
    assert no_csrf.status_code == 403 and no_csrf.json["code"] == "auth.csrf"

"""What the register and samples pages do, through the API and the CLI: search, one household's interviews,
villages, the template, coverage, the OpenAPI examples (each one accepted by its route), and register files
that are not what they claim."""
import io

from openpyxl import load_workbook

from server.accounts import api_tokens
from server.households import sampling
from server.households.prepare import id_numbers
from server.infra.extensions import db
from server.models import Household
from testkit.dashboard_world import build_world
from testkit.figures_factories import run_worker
from testkit.household_factories import make_records, village_code
from testkit.recusal_factories import make_households
from testkit.register_files import PNG, csv_bytes, register_rows, xlsx_bytes, zip_bomb_xlsx
from tests.integration.households.conftest import sign_in, snapshot

API = "/api/v1/evaluations/county1"


def _world(app, client):
    world = build_world(app)
    make_households(world["evaluation"], 3, village=2)
    return world, sign_in(client, "sup1")


def test_search_by_head_code_and_village(app, client):
    world, headers = _world(app, client)
    first = db.session.query(Household).filter_by(archive_id=world["households"][0]).one()
    found = client.get(f"{API}/households", query_string={"q": first.head_name}, headers=headers).json
    assert first.archive_id in [h["archive_id"] for h in found["items"]]
    by_code = client.get(f"{API}/households", query_string={"q": village_code(2)}, headers=headers).json
    assert len(by_code["items"]) == 3 and all(h["village_code"] == village_code(2) for h in by_code["items"])
    paged = client.get(f"{API}/households", query_string={"q": "1507", "limit": 4}, headers=headers).json
    after = {"q": "1507", "limit": 4, "cursor": paged["next_cursor"]}
    rest = client.get(f"{API}/households", query_string=after, headers=headers).json
    assert len(paged["items"]) == 4 and len(rest["items"]) == 2 and rest["next_cursor"] is None
    too_long = client.get(f"{API}/households", query_string={"q": "x" * 101}, headers=headers)
    assert too_long.status_code == 422


def test_one_households_interviews_and_the_villages(app, client):
    world, headers = _world(app, client)
    answer = client.get(f"{API}/households/{world['households'][1]}/interviews", headers=headers)
    assert answer.status_code == 200
    items = answer.json["items"]
    assert [(i["instance_id"], i["enumerator"]) for i in items] == [(world["flagged"], "enum1")]
    assert client.get(f"{API}/households/nosuch/interviews", headers=headers).status_code == 404
    villages = client.get(f"{API}/villages", headers=headers).json["villages"]
    counts = [(v["village_code"], v["households"]) for v in villages]
    assert counts == [(village_code(1), 3), (village_code(2), 3)]


def test_the_template_from_the_api(app, client):
    _, headers = _world(app, client)
    book = load_workbook(io.BytesIO(client.get(f"{API}/register/template", headers=headers).data))
    assert book.sheetnames == ["register 登记表", "notes 说明"]
    notes = client.get(f"{API}/register/template", query_string={"format": "notes"}, headers=headers)
    text = notes.data.decode("utf-8-sig")
    assert "poverty_attribute" in text and "一般贫困户" in text
    pdf = client.get(f"{API}/register/template", query_string={"format": "pdf"}, headers=headers)
    assert pdf.status_code == 422


def test_the_openapi_examples_are_accepted_by_their_routes(app, client):
    _, headers = _world(app, client)
    spec = client.get("/api/v1/openapi.json").json["paths"]

    def example(path, method="post"):
        return spec[path][method]["requestBody"]["content"]["application/json"]["example"]
    records = example("/api/v1/evaluations/{code}/households/batch")
    batch = client.post(f"{API}/households/batch", json=records, headers=headers)
    assert batch.status_code == 200 and batch.json["created"] == 1
    design = example("/api/v1/evaluations/{code}/samples")
    draw = client.post(f"{API}/samples", json=design, headers=headers)
    assert draw.status_code == 201 and draw.json["seed"] == design["seed"]
    unit = next(u for u in draw.json["units"] if u["archive_id"])
    substitute = example("/api/v1/evaluations/{code}/samples/{sample_id}/units/{unit_id}/substitute")
    replaced = client.post(f"{API}/samples/{draw.json['id']}/units/{unit['id']}/substitute", json=substitute,
                           headers=headers)
    assert replaced.status_code == 201 and replaced.json["substitute_for_id"] == unit["id"]
    assign = example("/api/v1/evaluations/{code}/samples/{sample_id}/assignments")
    assert set(assign) == {"enumerator", "units"}


def test_coverage_through_the_api_and_the_cli(app, client, runner):
    _, headers = _world(app, client)
    sample = client.post(f"{API}/samples", json={"name": "all", "seed": "s", "design": {"size": 10}},
                         headers=headers).json
    before = client.get(f"{API}/samples/{sample['id']}/coverage", headers=headers).json["totals"]
    assert (before["units"], before["assigned"], before["interviewed"], before["missing"]) == (6, 3, 3, 3)
    assigned = client.post(f"{API}/samples/{sample['id']}/assignments", json={"enumerator": "enum1"},
                           headers=headers)
    assert assigned.status_code == 201 and assigned.json["assigned"] == 3
    after = client.get(f"{API}/samples/{sample['id']}/coverage", headers=headers).json
    assert (after["totals"]["assigned"], after["totals"]["unassigned"]) == (6, 0)
    assert sorted(after["states"].values()) == ["assigned"] * 3 + ["interviewed"] * 3
    printed = runner.invoke(args=["samples", "coverage", "county1", str(sample["id"])])
    assert printed.exit_code == 0
    total = next(line for line in printed.output.splitlines() if line.startswith("total")).split()
    assert total[1:] == ["6", "6", "3", "3", "0", "0"]


def test_cli_search_show_and_villages(app, client, runner):
    world, _ = _world(app, client)
    household = db.session.query(Household).filter_by(archive_id=world["households"][1]).one()
    found = runner.invoke(args=["households", "search", "county1", household.head_name])
    assert found.exit_code == 0 and household.archive_id in found.output
    shown = runner.invoke(args=["households", "show", "county1", household.archive_id])
    assert shown.exit_code == 0 and world["flagged"] in shown.output and "enum1" in shown.output
    assert household.record["members"][0]["id_number_masked"] in shown.output
    assert not any(n in shown.output for n in id_numbers(household) if n)
    villages = runner.invoke(args=["households", "villages", "county1"])
    assert f"{village_code(2)}       3" in villages.output
    missing = runner.invoke(args=["households", "show", "county1", "nosuch"])
    assert missing.exit_code != 0 and "household.not_found" in missing.output


def test_cli_draw_with_sizes_per_group(app, client, runner):
    _world(app, client)
    drawn = runner.invoke(args=["samples", "draw", "county1", "--name", "g", "--seed", "z", "--size", "1",
                                "--size-exited", "2"])
    assert drawn.exit_code == 0, drawn.output
    lines = {line.split()[0]: int(line.split()[1]) for line in drawn.output.splitlines()[1:-1]}
    exited = db.session.query(Household).filter_by(status="exited").count()
    assert lines.get("exited", 0) == min(2, exited) and lines.get("not_exited", 0) == 1


def _upload(client, headers, name, data):
    return client.post(f"{API}/households/import", headers=headers, content_type="multipart/form-data",
                       data={"file": (io.BytesIO(data), name)})


def test_register_files_that_are_not_what_they_claim(app, client, runner, tmp_path):
    _, headers = _world(app, client)
    rows = register_rows(make_records(3, village=7))
    before = snapshot()
    gbk = _upload(client, headers, "register.csv", csv_bytes(rows, "gbk"))
    assert gbk.status_code == 400 and gbk.json["code"] == "import.gbk" and gbk.json["details"][0]["line"] == 2
    assert _upload(client, headers, "register.xlsx", zip_bomb_xlsx()).json["code"] == "import.zip_bomb"
    assert _upload(client, headers, "register.xlsx", PNG).json["code"] == "import.not_xlsx"
    renamed = _upload(client, headers, "register.csv", xlsx_bytes(rows))
    assert renamed.json["code"] == "import.spreadsheet_as_text"
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert _upload(client, headers, "register.xlsx", old_excel).json["code"] == "import.old_excel"
    assert _upload(client, headers, "register.csv", b"").json["code"] == "import.empty"
    path = tmp_path / "register.csv"
    path.write_bytes(csv_bytes(rows, "gbk"))
    printed = runner.invoke(args=["households", "import", "county1", str(path)])
    assert printed.exit_code != 0 and "GBK" in printed.output and "CSV UTF-8" in printed.output
    assert snapshot() == before
    good = _upload(client, headers, "register.csv", csv_bytes(rows))
    assert good.status_code == 202, good.json
    run_worker()
    job = client.get(good.json["status_url"]).json
    assert job["state"] == "done" and job["result"]["created"] == 3, job


def test_the_new_read_routes_answer_by_role_and_evaluation(app, client):
    world, _ = _world(app, client)
    sample = sampling.draw_sample(world["evaluation"], "r", {"size": 1}, "test", seed="r")
    _, secret = api_tokens.create_token(world["evaluation"], "reader", "read", actor="test")
    db.session.commit()
    routes = [f"{API}/households?q=1507", f"{API}/households/{world['households'][0]}/interviews",
              f"{API}/villages", f"{API}/register/template", f"{API}/samples/{sample.id}/coverage"]
    client.delete("/api/v1/session", headers=sign_in(client, "sup1"))
    for url in routes:
        assert client.get(url).status_code == 401, url
        assert client.get(url, headers={"Authorization": f"Bearer {secret}"}).status_code == 200, url
    for username, status in (("view1", 200), ("other1", 404)):
        headers = sign_in(client, username)
        assert [client.get(url, headers=headers).status_code for url in routes] == [status] * len(routes)
        client.delete("/api/v1/session", headers=headers)

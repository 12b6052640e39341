"""The evaluation report, read back with independent parsers (lxml for the page, openpyxl for the
workbook) and compared with the figures API and the interviews that were sent."""
import io

import openpyxl
from lxml import html

from server.infra.extensions import db
from server.models import Submission
from testkit.figures_factories import fields_for, run_worker
from tests.integration.recusal.conftest import sign_in, world  # noqa: F401  (fixture)
from testkit.recusal_factories import submit

URL = "/api/v1/evaluations/county1/report"


def _interviews(world, client):  # noqa: F811
    ids = []
    for index, (household, token) in enumerate(world.households):
        income = 1000 if index == 0 else 6000  # the first, exited, household is below the line: 错退
        ids.append(submit(world.evaluation, world.enumerator, fields_for(token, household, income=income)).id)
    run_worker()
    headers = sign_in(client, "sup1", "supervisor", world.evaluation)
    instance_id = db.session.get(Submission, ids[0]).instance_id
    answer = client.post(f"/api/v1/evaluations/county1/submissions/{instance_id}/classification",
                         headers=headers, json={"flag": "wrongly_exited", "decision": "confirm",
                                                "reason": "入户核实：人均收入低于标准，确认错退。"})
    assert answer.status_code == 201, answer.json
    return headers, instance_id


def _tables(page):
    """{section id: [[cell text]]} of the HTML report, header row first."""
    tree = html.fromstring(page)
    return {s.get("id"): [[c.text_content() for c in row] for row in s.iter("tr")]
            for s in tree.iter("section")}


def test_html_report_matches_the_figures_and_lists_the_household(world, client):  # noqa: F811
    headers, instance_id = _interviews(world, client)
    answer = client.get(URL, headers=headers)
    assert answer.status_code == 200 and answer.content_type.startswith("text/html")
    tables = _tables(answer.data)
    assert set(tables) == {"method", "definitions", "figures_county", "figures_township", "figures_village",
                           "households", "by_rule", "by_enumerator", "backchecks"}
    figures = client.get("/api/v1/evaluations/county1/figures?level=village", headers=headers).json
    village = figures["areas"][0]
    rows = {r[3]: r for r in tables["figures_village"][1:] if r[0] == village["code"]}
    assert len(rows) == len(village["figures"])
    for figure in village["figures"]:
        row = rows[figure["title_zh"]]
        assert (int(row[4]), int(row[5])) == (figure["numerator"], figure["denominator"])
        assert row[6] == ("" if figure["value"] is None else f"{100 * figure['value']:.2f}%")
        assert row[10] == {True: "达标", False: "未达标", None: ""}[figure["pass"]]
    exited = rows["错退率"]
    assert int(exited[4]) == 4 and exited[10] == "未达标"
    households = tables["households"]
    assert households[0][:2] == ["类别", "户编号"]
    flagged = [r for r in households[1:] if r[4] == instance_id]
    assert len(flagged) == 1 and flagged[0][0] == "错退"
    assert flagged[0][1] == world.households[0][0].archive_id and "确认错退" in flagged[0][10]
    assert tables["by_enumerator"][1][:2] == ["enum1", "4"]
    method = dict(r for r in tables["method"][1:])
    assert method["计入指标的访问数"] == "4" and "未加权" in method["权重"]


def test_xlsx_report_in_english(world, client):  # noqa: F811
    headers, instance_id = _interviews(world, client)
    answer = client.get(f"{URL}?format=xlsx&lang=en", headers=headers)
    assert answer.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(answer.data), read_only=True)
    assert book.sheetnames[0] == "Method" and "Flagged households" in book.sheetnames
    assert all(len(name) <= 31 for name in book.sheetnames)
    county = list(book[book.sheetnames[1]].iter_rows(values_only=True))
    assert county[1][:4] == ("Code", "Name", "Interviews", "Figure")
    figures = client.get("/api/v1/evaluations/county1/figures?level=evaluation", headers=headers).json
    overall = {r[3]: r for r in county[2:] if r[0] == "All"}
    for figure in figures["areas"][0]["figures"]:
        row = overall[figure["title_en"]]
        assert (row[4], row[5]) == (figure["numerator"], figure["denominator"])
        assert row[6] == figure["value"]
    households = list(book["Flagged households"].iter_rows(values_only=True))
    assert [r for r in households[2:] if r[4] == instance_id][0][0] == "wrongly exited (错退)"


def test_report_needs_a_reader_of_the_evaluation_and_a_known_format(world, client):  # noqa: F811
    assert client.get(URL).status_code == 401
    headers = sign_in(client, "viewer1", "viewer", world.evaluation)
    assert client.get(URL, headers=headers).status_code == 200
    bad = client.get(f"{URL}?format=pdf", headers=headers)
    assert bad.status_code == 422 and bad.json["code"]


def test_cli_report(world, runner, tmp_path):  # noqa: F811
    out = tmp_path / "report.xlsx"
    result = runner.invoke(args=["report", "county1", "--format", "xlsx", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == str(out)
    assert "两率一度（县）" in openpyxl.load_workbook(out, read_only=True).sheetnames

"""CSV, XLSX and JSON-lines register files: same validation, all or none, errors with line numbers."""
import csv
import io
import json

from openpyxl import Workbook

from testkit.household_factories import make_records
from tests.integration.households.conftest import snapshot

MEMBER_FIELDS = ("name", "sex", "relation", "birth_date", "id_number", "health", "labour", "school")
PLAIN = ("archive_id", "province", "province_code", "county", "county_code", "township", "township_code",
         "village", "village_code", "group", "head_name", "phone", "registration_year", "poverty_attribute",
         "main_cause", "status", "exit_year")


def _table(records):
    header = [*PLAIN, "other_causes", "income_2019", "food", "housing", "latitude", "longitude", "helpers",
              *(f"m{i}_{f}" for i in (1, 2, 3, 4) for f in MEMBER_FIELDS)]
    rows = [header]
    for r in records:
        row = [r[k] if r[k] is not None else "" for k in PLAIN]
        row += ["|".join(r["other_causes"]), 5100.0, 1, 0, r["location"]["latitude"],
                r["location"]["longitude"], json.dumps(r["helpers"], ensure_ascii=False)]
        row += [m[f] for m in r["members"] for f in MEMBER_FIELDS]
        rows.append(row)
    return rows


def _csv(rows):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8")


def _upload(client, headers, name, data):
    return client.post("/api/v1/evaluations/county1/households/import", headers=headers,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def test_a_csv_upload_imports_every_row(client, admin_headers):
    response = _upload(client, admin_headers, "register.csv", _csv(_table(make_records(6))))
    assert response.status_code == 200, response.json
    assert response.json["created"] == 6 and response.json["batches"] == 1
    listed = client.get("/api/v1/evaluations/county1/households").json["items"]
    assert listed[0]["record"]["indicators"] == {"food": True, "housing": False}
    assert listed[0]["record"]["income"] == [{"year": 2019, "per_capita_net": 5100.0}]


def test_a_bad_xlsx_row_rejects_the_file_and_names_its_row(client, admin_headers):
    rows = _table(make_records(4))
    rows[3][PLAIN.index("village_code")] = "999999999999"
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    before = snapshot()
    response = _upload(client, admin_headers, "register.xlsx", data.getvalue())
    assert response.status_code == 422
    assert {(d["line"], d["field"]) for d in response.json["details"]} == {(4, "village_code")}
    assert snapshot() == before


def test_cli_import_of_json_lines_reports_line_numbers(runner, evaluation, tmp_path):
    records = make_records(3)
    records[1]["registration_year"] = "soon"
    path = tmp_path / "register.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    before = snapshot()
    result = runner.invoke(args=["households", "import", "county1", str(path)])
    assert result.exit_code != 0 and "line 2: registration_year" in result.output
    assert snapshot() == before
    records[1]["registration_year"] = 2015
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    result = runner.invoke(args=["households", "import", "county1", str(path)])
    assert result.exit_code == 0 and '"created": 3' in result.output

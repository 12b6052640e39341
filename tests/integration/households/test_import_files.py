"""CSV, XLSX and JSON-lines register files: same validation, all or none, errors with line numbers.
Through the API a file is checked at once and imported by a worker: the answer is 202 and a job."""
import csv
import io
import json
import os

from openpyxl import Workbook

from testkit.figures_factories import run_worker
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


def _imported(client, answer):
    """Run the worker, then read the job the upload answered with."""
    assert answer.status_code == 202, answer.json
    assert answer.headers["Location"] == answer.json["status_url"]
    assert answer.json["job"]["state"] == "queued"
    run_worker()
    return client.get(answer.json["status_url"]).json


def _uploads_left(app):
    root = os.path.join(app.config["MEDIA_ROOT"], "uploads")
    return [os.path.join(d, f) for d, _, names in os.walk(root) for f in names]


def test_a_csv_upload_imports_every_row(app, client, admin_headers):
    response = _upload(client, admin_headers, "register.csv", _csv(_table(make_records(6))))
    job = _imported(client, response)
    assert job["state"] == "done" and job["progress"] == 100, job
    assert job["result"]["created"] == 6 and job["result"]["batches"] == 1
    assert job["result"]["received"] == 6 and job["result"]["updated"] == 0
    assert not _uploads_left(app)  # the file held ID numbers in clear: gone once imported
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
    job = _imported(client, _upload(client, admin_headers, "register.xlsx", data.getvalue()))
    assert job["state"] == "failed" and job["result"]["code"] == "household.invalid", job
    assert {(d["line"], d["field"]) for d in job["result"]["details"]} == {(4, "village_code")}
    texts = job["result"]["error_text"]
    assert "nothing was" in texts["en"] and texts["zh"] != texts["en"] and job["error"] == texts["zh"]
    assert snapshot() == before


def test_an_upload_in_english_fails_in_english_and_a_resend_imports(app, client, admin_headers):
    records = make_records(3)
    rows = _table(records)
    rows[2][PLAIN.index("registration_year")] = "soon"
    before = snapshot()
    headers = {**admin_headers, "Accept-Language": "en"}
    failed = _imported(client, _upload(client, headers, "register.csv", _csv(rows)))
    assert failed["state"] == "failed" and [d["line"] for d in failed["result"]["details"]] == [3]
    assert failed["error"] == failed["result"]["error_text"]["en"]
    assert snapshot() == before and not _uploads_left(app)
    done = _imported(client, _upload(client, headers, "register.csv", _csv(_table(records))))
    assert done["state"] == "done" and done["result"]["created"] == 3
    again = _imported(client, _upload(client, headers, "register.csv", _csv(_table(records))))
    assert again["result"]["unchanged"] == 3 and again["result"]["created"] == 0


def test_a_file_refused_from_its_bytes_is_answered_at_once_and_nothing_is_queued(app, client, admin_headers):
    from server.models import JobRecord, OutboxEvent
    from server.infra.extensions import db
    answer = _upload(client, admin_headers, "register.csv", "县,村\n".encode("gbk") * 3)
    assert answer.status_code == 400 and answer.json["code"] == "import.gbk"
    assert db.session.query(JobRecord).count() == 0 and db.session.query(OutboxEvent).count() == 0
    assert not _uploads_left(app)


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

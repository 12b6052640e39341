"""The dashboard's export page: start an export or the report as a job with the page's own form (CSRF),
follow it, download it and read it back; a bad request is shown on the page; viewers and other
evaluations are refused; starting an export is audited."""
import csv
import io
import re
import zipfile

import openpyxl

from server.infra.extensions import db
from server.models import AuditEntry, JobRecord, Submission
from testkit.dashboard_world import build_world
from testkit.recusal_factories import FORM_ID
from tests.integration.dashboard.helpers import csrf, sign_in
from tests.integration.recusal.conftest import run_worker

PAGE = "/dashboard/county1/exports"


def _start(client, **fields):
    token = csrf(client.get(PAGE))
    return client.post(PAGE, data={"csrf_token": token, "form": FORM_ID, "labels": "zh-Hans", **fields})


def _job_url(answer):
    assert answer.status_code == 302, answer.get_data(as_text=True)
    location = answer.headers["Location"]
    assert re.fullmatch(r"/dashboard/county1/exports/[0-9a-f-]{36}", location), location
    return location


def test_start_follow_download_an_xlsx_export(app, client):
    build_world(app)
    sign_in(client, "sup1")
    url = _job_url(_start(client, format="xlsx", status=["clean", "review"]))
    page = client.get(url).get_data(as_text=True)
    assert 'data-state="queued"' in page and "等待后台任务处理" in page
    assert client.get(url + "/status").json["download_url"] is None
    assert client.get(url + "/file").status_code == 409

    run_worker()
    status = client.get(url + "/status").json
    assert (status["state"], status["progress"], status["ready"]) == ("done", 100, True)
    assert status["download_url"] == url + "/file"
    download = client.get(status["download_url"])
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(download.data), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header = rows[0]
    keys = sorted(row[header.index("KEY")] for row in rows[2:])
    wanted = db.session.query(Submission.instance_id).filter(
        Submission.review_status.in_(("clean", "review"))).all()
    assert keys == sorted(i for (i,) in wanted) and len(keys) >= 2
    listed = client.get(PAGE).get_data(as_text=True)
    assert url in listed and f"{FORM_ID}.xlsx" in listed  # the recent exports list links it


def test_the_report_as_a_job(app, client):
    build_world(app)
    sign_in(client, "sup1")
    url = _job_url(_start(client, format="report_html", labels="en"))
    run_worker()
    status = client.get(url + "/status", headers={"Accept-Language": "en"}).json
    assert status["state"] == "done", status
    assert status["text"] == "Done: the report is ready."
    body = client.get(status["download_url"]).get_data(as_text=True)
    assert "third-party evaluation report" in body and "<table" in body
    entry = db.session.query(AuditEntry).filter_by(action="report.start").one()
    assert entry.actor == "user:sup1" and entry.details == {"format": "html", "language": "en"}


def test_csv_with_filters_holds_what_the_filters_say(app, client):
    world = build_world(app)
    sign_in(client, "sup1")
    url = _job_url(_start(client, format="csv", status="review", bom="1"))
    run_worker()
    data = client.get(url + "/file").data
    archive = zipfile.ZipFile(io.BytesIO(data)) if data[:2] == b"PK" else None
    text = (archive.read(f"{FORM_ID}.csv") if archive else data).decode("utf-8")
    assert text.startswith("\ufeff")  # the BOM asked for
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert [r["KEY"] for r in rows] == [world["flagged"]]
    assert rows[0]["ReviewStatus"] == "review" and "GPS-03" in rows[0]["Findings"]


def test_a_bad_request_is_shown_on_the_page_and_starts_nothing(app, client):
    build_world(app)
    sign_in(client, "sup1")
    answer = _start(client, format="csv", date_from="2021-05-09", date_to="2021-05-01")
    assert answer.status_code == 400
    assert "开始日期晚于结束日期" in answer.get_data(as_text=True)
    assert 'value="2021-05-09"' in answer.get_data(as_text=True)  # what was typed stays
    answer = _start(client, format="csv", enumerator="ghost")
    assert answer.status_code == 400 and "没有这个用户名的调查员" in answer.get_data(as_text=True)
    key = {"private_key": (io.BytesIO(b"not a key"), "key.pem")}
    answer = _start(client, format="csv", **key)
    assert answer.status_code == 400 and "PEM" in answer.get_data(as_text=True)
    assert db.session.query(JobRecord).count() == 0


def test_no_csrf_token_no_export(app, client):
    build_world(app)
    sign_in(client, "sup1")
    answer = client.post(PAGE, data={"form": FORM_ID, "format": "csv"})
    assert answer.status_code == 403
    assert db.session.query(JobRecord).count() == 0


def test_starting_an_export_is_audited(app, client):
    build_world(app)
    sign_in(client, "sup1")
    url = _job_url(_start(client, format="dta", status="clean"))
    entry = db.session.query(AuditEntry).filter_by(action="export.start").one()
    assert entry.actor == "user:sup1" and entry.target == "job:" + url.rsplit("/", 1)[1]
    assert entry.details == {"form": FORM_ID, "format": "dta", "filters": {"status": ["clean"]},
                             "decrypt": False}


def test_viewers_and_other_evaluations_cannot_export_or_follow(app, client):
    build_world(app)
    sign_in(client, "sup1")
    url = _job_url(_start(client, format="csv"))
    run_worker()
    client.post("/logout", data={"csrf_token": csrf(client.get(PAGE))})
    sign_in(client, "view1")
    assert client.get(PAGE).status_code == 403
    assert "/exports" not in client.get("/dashboard/county1/").get_data(as_text=True)  # no link either
    assert client.get(url + "/file").status_code == 403
    client.post("/logout", data={"csrf_token": csrf(client.get("/"))})
    sign_in(client, "other1")
    for path in ("", "/status", "/file"):
        assert client.get(url + path).status_code == 404
    assert client.get("/dashboard/other/exports/" + url.rsplit("/", 1)[1]).status_code == 404


def test_a_villages_household_files_in_one_zip_are_each_households_own_file(app, client):
    """一户一档 in bulk: the households page starts it, the export page follows it, and each household's ZIP
    inside holds what that household's own download holds (the file `fieldcheck chain check-file` reads)."""
    from server.models import Household
    world = build_world(app)
    village = db.session.query(Household).filter_by(archive_id=world["households"][0]).one().village_code
    in_village = sorted(a for (a,) in db.session.query(Household.archive_id).filter_by(village_code=village))
    sign_in(client, "sup1")
    page = client.get("/dashboard/county1/households")
    action = f"/dashboard/county1/villages/{village}/household-files"
    html = page.get_data(as_text=True)
    assert f'action="{action}"' in html and "一户一档" in html
    once = re.search(rf'action="{action}">\s*<input type="hidden" name="csrf_token" value="[^"]+">'
                     r'<input type="hidden" name="once" value="([^"]+)"', html).group(1)
    answer = client.post(action, data={"csrf_token": csrf(page), "once": once})
    assert answer.status_code == 303, answer.get_data(as_text=True)
    url = answer.headers["Location"]
    run_worker()
    status = client.get(url + "/status").json
    assert status["ready"] and f"{len(in_village)} 户" in status["text"], status
    assert "ZIP，每户一份文件（一户一档）" in client.get(url).get_data(as_text=True)  # its format, in words
    with zipfile.ZipFile(io.BytesIO(client.get(status["download_url"]).data)) as outer:
        assert sorted(outer.namelist()) == [f"{village}/{a}.zip" for a in in_village]
        inner = {a: _contents(outer.read(f"{village}/{a}.zip")) for a in in_village}
    for archive_id in in_village:
        own = client.get(f"/dashboard/county1/households/{archive_id}/file")
        assert inner[archive_id] == _contents(own.data), archive_id
    actions = {a.action for a in db.session.query(AuditEntry).filter_by(actor="user:sup1")}
    assert {"household_files.start", "household.files"} <= actions
    assert f"{village} 村的一户一档文件" in client.get(PAGE).get_data(as_text=True)  # listed with the exports
    empty = client.post("/dashboard/county1/villages/999999999999/household-files",
                        data={"csrf_token": csrf(page), "once": "x" * 20})
    assert empty.status_code == 404
    viewer = app.test_client()
    sign_in(viewer, "view1")
    assert f'action="{action}"' not in viewer.get("/dashboard/county1/households").get_data(as_text=True)


def _contents(data):
    """A household ZIP's files with their sha256 as its manifest lists them, and its interviews."""
    import json
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    files = sorted((f["path"], f["sha256"]) for f in manifest["files"] if f["path"] != "summary.html")
    return manifest["household"], manifest["interviews"], files


def test_the_api_starts_a_villages_household_files_for_exporters_only(app, client):
    from server.models import Household
    world = build_world(app)
    village = db.session.query(Household).filter_by(archive_id=world["households"][0]).one().village_code
    signed = client.post("/api/v1/session", json={"username": "sup1", "password": "correct horse battery"})
    headers = {"X-CSRF-Token": signed.json["csrf_token"]}
    started = client.post(f"/api/v1/evaluations/county1/villages/{village}/household-files", headers=headers)
    assert started.status_code == 202 and started.headers["Location"] == started.json["status_url"]
    run_worker()
    done = client.get(started.json["status_url"]).json
    assert done["state"] == "done" and done["result"]["format"] == "household_files", done
    assert done["result"]["households"] >= 1 and "file" not in done["result"]
    assert client.get(done["download_url"]).mimetype == "application/zip"
    missing = client.post("/api/v1/evaluations/county1/villages/000000000000/household-files",
                          headers=headers)
    assert missing.status_code == 404 and missing.json["code"] == "household.village_empty"

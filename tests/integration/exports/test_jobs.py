"""Exports as jobs: bad requests, who may export, filters and the statuses an export says it holds,
the CLI, files that expire, a job that dies, ID numbers masked."""
import csv
import io
import os
import zipfile
from datetime import timedelta

import pytest

from server.exports import files, sinks
from server.infra.extensions import db
from server.models import JobRecord, Submission
from server.models.types import utcnow
from testkit.factories import make_evaluation
from tests.integration.exports.conftest import as_file, export
from tests.integration.recusal.conftest import run_worker, sign_in

URL = "/api/v1/evaluations/county1/exports"
ANSWERS = {"place": {"village_name": "村"}, "hh_size": 3, "helps": "job", "gps": "", "photo": "",
           "members": []}


@pytest.mark.parametrize("body, code", [
    ({"form": "nope"}, "export.unknown_form"),
    ({}, "export.missing_form"),
    ({"form": "hh", "format": "pdf"}, "export.bad_format"),
    ({"form": "hh", "filters": {"status": ["clean", "dirty"]}}, "export.bad_status"),
    ({"form": "hh", "filters": {"date_from": "2025-13-01"}}, "export.bad_date"),
    ({"form": "hh", "filters": {"date_from": "2025-05-02", "date_to": "2025-05-01"}}, "export.bad_date"),
    ({"form": "hh", "filters": {"enumerator": "ghost"}}, "export.unknown_enumerator"),
    ({"form": "hh", "filters": {"colour": "red"}}, "export.bad_filters"),
    ({"form": "hh", "labels": "fr"}, "export.bad_labels"),
    ({"form": "hh", "private_key": "not a key"}, "decryption.bad_key"),
])
def test_bad_requests_are_400_with_a_clear_message(world, client, supervisor, body, code):
    answer = client.post(URL, headers=supervisor, json=body)
    assert (answer.status_code, answer.json["code"]) == (400, code), answer.json
    assert answer.json["message"]
    assert db.session.query(JobRecord).count() == 0


def test_viewers_may_not_export_and_other_evaluations_see_nothing(world, client):
    viewer = sign_in(client, "viewer1", "viewer", world.evaluation)
    assert client.post(URL, headers=viewer, json={"form": "hh"}).status_code == 403
    other = make_evaluation("county2")
    stranger = sign_in(client, "sup2", "supervisor", other)
    assert client.post(URL, headers=stranger, json={"form": "hh"}).status_code == 404


def test_filters_and_the_statuses_the_export_holds(world, client, supervisor):
    first = world.send(client, "3", ANSWERS)
    second = world.send(client, "3", {**ANSWERS, "hh_size": 5})
    run_worker()
    db.session.query(Submission).filter_by(instance_id=second).update({"review_status": "excluded"})
    db.session.commit()
    job, data = export(client, supervisor, {"form": "hh", "format": "csv",
                                            "filters": {"status": ["excluded"]}})
    assert job["result"]["statuses"] == {"excluded": 1}
    assert job["result"]["filters"] == {"status": ["excluded"]}
    main = list(csv.DictReader(io.StringIO(zipfile.ZipFile(as_file(data)).read("hh.csv").decode())))
    assert [r["KEY"] for r in main] == [second]
    job, _ = export(client, supervisor, {"form": "hh"})
    first_status = db.session.query(Submission).filter_by(instance_id=first).one().review_status
    assert job["result"]["statuses"] == {"excluded": 1, first_status or "unchecked": 1}


def test_another_evaluations_user_cannot_follow_or_download(world, client, supervisor):
    job, _ = export(client, supervisor, {"form": "hh"})
    client.delete("/api/v1/session", headers=supervisor)
    stranger = sign_in(client, "sup2", "supervisor", make_evaluation("county2"))
    assert client.get(f"{URL}/{job['id']}", headers=stranger).status_code == 404
    assert client.get(job["download_url"], headers=stranger).status_code == 404


def test_cli_writes_the_file_and_prints_its_path_last(world, client, runner, tmp_path):
    world.send(client, "1", {**ANSWERS, "old_q": "旧"})
    run_worker()
    out = tmp_path / "out.xlsx"
    result = runner.invoke(args=["--lang", "en", "export", "county1", "hh", "--format", "xlsx",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().splitlines() == [str(out)]  # stdout: the answer only
    shown = [line for line in result.stderr.splitlines() if line.startswith("exporting: ")]
    assert len(shown) >= 2 and shown[-1].endswith("100/100 (100%)"), result.stderr  # a log sees how far
    import openpyxl
    rows = list(openpyxl.load_workbook(out, read_only=True)["hh"].iter_rows(values_only=True))
    assert len(rows) == 3 and rows[2][rows[0].index("old_q")] == "旧"
    kept = runner.invoke(args=["export", "county1", "hh"])
    path = kept.output.strip().splitlines()[-1]
    assert path.endswith("hh.csv.zip") and zipfile.ZipFile(path).namelist()
    bad = runner.invoke(args=["export", "county1", "hh", "--status", "dirty"])
    assert bad.exit_code != 0 and "Unknown status 'dirty'" in bad.output


def test_expired_files_are_removed_and_then_gone(world, client, supervisor, app):
    job, _ = export(client, supervisor, {"form": "hh"})
    row = db.session.get(JobRecord, job["id"])
    path = files.absolute(row.result["file"])
    assert os.path.exists(path)
    assert files.sweep(utcnow() + timedelta(hours=app.config["EXPORT_KEEP_HOURS"] + 1)) == 1
    db.session.commit()
    assert not os.path.exists(os.path.dirname(path))
    stale = JobRecord(id="00000000-0000-0000-0000-000000000001", evaluation_id=world.evaluation_id,
                      kind=files.KIND, params={}, state="running")
    db.session.add(stale)
    db.session.commit()
    left = files.work_folder(stale.id)  # what a run killed mid-way leaves
    assert files.sweep(utcnow() + timedelta(hours=app.config["EXPORT_KEEP_HOURS"] + 1)) == 0
    assert not os.path.exists(left)
    gone = client.get(f"{URL}/{job['id']}/file", headers=supervisor)
    assert (gone.status_code, gone.json["code"]) == (410, "export.expired")
    assert client.get(f"{URL}/{job['id']}", headers=supervisor).json["download_url"] is None


def test_a_job_that_dies_leaves_no_file_and_is_not_done(world, client, supervisor, monkeypatch):
    world.send(client, "3", ANSWERS)
    run_worker()

    def crash(self):
        raise OSError("disk full")
    monkeypatch.setattr(sinks.TableSink, "finish", crash)
    started = client.post(URL, headers=supervisor, json={"form": "hh"})
    run_worker()
    job = client.get(started.json["status_url"], headers=supervisor).json
    assert job["state"] != "done" and job["download_url"] is None
    folder = files.job_folder(job["id"])
    assert not os.path.exists(folder) or os.listdir(folder) == []
    monkeypatch.undo()
    from worker.drain import process_events
    from server.models import OutboxEvent
    event = db.session.query(OutboxEvent).filter_by(name="export.run").one()
    assert event.state == "pending" and "disk full" in event.last_error
    process_events([event.id])
    job = client.get(started.json["status_url"], headers=supervisor).json
    assert job["state"] == "done" and client.get(job["download_url"], headers=supervisor).status_code == 200


def test_two_exports_never_share_a_file(world, client, supervisor):
    first, _ = export(client, supervisor, {"form": "hh"})
    second, _ = export(client, supervisor, {"form": "hh"})
    paths = {db.session.get(JobRecord, j["id"]).result["file"] for j in (first, second)}
    assert len(paths) == 2


def test_id_numbers_are_masked(world, client, supervisor):
    number = "150782199001011234"
    from server.households import idcard
    number = number[:17] + idcard.check_digit(number[:17])
    world.send(client, "3", {**ANSWERS, "place": {"village_name": number}})
    run_worker()
    _, data = export(client, supervisor, {"form": "hh"})
    text = zipfile.ZipFile(as_file(data)).read("hh.csv").decode()
    assert number not in text and idcard.mask(number) in text

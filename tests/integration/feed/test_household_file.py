"""One file per household: interviews sent by a Collect-faithful client, checked and chained by the worker,
a supervisor's decision, then the household's ZIP from the API checked offline by `chain check-file` —
and each kind of tampering with the file named."""
import hashlib
import io
import json
import zipfile

import pytest
import requests
from rq import SimpleWorker

from server.accounts import api_tokens
from server.infra.extensions import db, rq
from testkit.collect_client import CollectClient
from testkit.factories import make_enumerator, make_evaluation, make_user
from testkit.recusal_factories import (assign, at, interview_fields, interview_xml, make_households,
                                       publish_interview_form)

PHOTOS = [("house.jpg", b"\xff\xd8 the house"), ("inside.jpg", b"\xff\xd8 inside"),
          ("sign.jpg", b"\xff\xd8 signature")]


@pytest.fixture
def filed(app, live_server, runner, tmp_path):
    """The household file of household 0 (an interview too short: flagged, then cleared), on disk."""
    app.config["PUBLIC_URL"] = live_server
    evaluation = make_evaluation("county1")
    publish_interview_form(evaluation)
    enumerator, key = make_enumerator(evaluation, "enum1", county="海淀区", county_code="110108")
    households = make_households(evaluation, 2)
    for household, _ in households:
        assign(evaluation, enumerator, household)
    _, secret = api_tokens.create_token(evaluation, "archive", "read", actor="test")
    make_user("lead", "supervisor", evaluation, password="pass-word-123")
    db.session.commit()
    client = CollectClient(f"{live_server}/key/{key}/county1")
    (h0, t0), (h1, t1) = households
    mine, xml = interview_xml(interview_fields(t0, h0, start=at(9, 0), minutes=9))
    assert client.submit(xml, PHOTOS).ok
    _, other = interview_xml(interview_fields(t1, h1, start=at(11, 0)))
    assert client.submit(other, PHOTOS).ok
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)

    session = requests.Session()
    signed = session.post(f"{live_server}/api/v1/session",
                          json={"username": "lead", "password": "pass-word-123"})
    cleared = session.post(f"{live_server}/api/v1/evaluations/county1/submissions/{mine}/review",
                           json={"decision": "clear", "reason": "户主外出务工前只有十分钟，已电话核实。"},
                           headers={"X-CSRF-Token": signed.json()["csrf_token"]})
    assert cleared.status_code == 201, cleared.text
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)  # chains the decision
    assert runner.invoke(args=["chain", "sweep", "county1"]).exit_code == 0

    api = {"Authorization": f"Bearer {secret}"}
    answer = requests.get(f"{live_server}/api/v1/evaluations/county1/households/{h0.archive_id}/file",
                          headers=api)
    assert answer.status_code == 200, answer.text
    assert answer.headers["Content-Type"] == "application/zip"
    path = tmp_path / "household.zip"
    path.write_bytes(answer.content)
    return {"path": path, "instance_id": mine, "base": live_server, "api": api, "archive_id": h0.archive_id}


def test_the_household_file_holds_its_evidence_and_verifies_offline(filed, runner):
    with zipfile.ZipFile(filed["path"]) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
        interview = json.loads(archive.read("interviews/01/interview.json"))
        summary = archive.read("summary.html").decode()
    assert [i["instance_id"] for i in manifest["interviews"]] == [filed["instance_id"]]  # not the neighbour's
    assert {"interviews/01/submission.xml", "interviews/01/media/house.jpg", "summary.html"} <= names
    assert interview["status"] == "cleared" and interview["decisions"][0]["decision"] == "clear"
    assert [f["code"] for f in interview["findings"] if f["outcome"] == "found"] == ["TIM-01"]
    assert sorted(e["kind"] for e in manifest["chain_entries"]) == ["review", "submission"]
    assert manifest["chain_head"]["seq"] >= 3  # both interviews and the decision are in the chain
    assert "一户一档" in summary and filed["archive_id"] in summary and "审核通过" in summary

    checked = runner.invoke(args=["chain", "check-file", str(filed["path"])])
    assert checked.exit_code == 0, checked.output
    assert "household file verified" in checked.output


def rewrite(path, change):
    """The ZIP at `path` with `change(name, data) -> data` applied to each member (a tampered copy)."""
    with zipfile.ZipFile(path) as archive:
        members = [(n, archive.read(n)) for n in archive.namelist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members:
            archive.writestr(name, change(name, data))
    path.write_bytes(buffer.getvalue())


def resign(manifest_data, name, data):
    """The manifest with `name`'s sha256 made to match its new bytes (a careful forger)."""
    manifest = json.loads(manifest_data)
    for entry in manifest["files"]:
        if entry["path"] == name:
            entry["sha256"] = hashlib.sha256(data).hexdigest()
    return json.dumps(manifest).encode()


@pytest.mark.parametrize("tampering, expected", [
    ("photo", "attachment house.jpg is not the file the chain recorded"),
    ("xml", "submission.xml is not the XML the chain recorded"),
    ("decision", "review decision"),
    ("entry", "does not hash to its content hash"),
])
def test_each_kind_of_tampering_is_named(filed, runner, tampering, expected):
    photo, xml = "interviews/01/media/house.jpg", "interviews/01/submission.xml"
    forged = {photo: b"\xff\xd8 another house", xml: b"<data>forged</data>"}

    def change(name, data):
        if tampering in ("photo", "xml") and name == (photo if tampering == "photo" else xml):
            return forged[name]
        if name == "manifest.json":
            if tampering in ("photo", "xml"):
                target = photo if tampering == "photo" else xml
                return resign(data, target, forged[target])
            manifest = json.loads(data)
            if tampering == "decision":
                manifest["interviews"][0]["decisions"][0]["reason"] = "改过的理由"
            if tampering == "entry":
                manifest["chain_entries"][0]["covers"]["xml_sha256"] = "0" * 64
            return json.dumps(manifest).encode()
        return data

    rewrite(filed["path"], change)
    checked = runner.invoke(args=["chain", "check-file", str(filed["path"])])
    assert checked.exit_code == 1
    assert expected in checked.output, checked.output


def test_a_file_changed_without_updating_the_manifest_is_named(filed, runner):
    rewrite(filed["path"], lambda name, data: b"changed" if name == "summary.html" else data)
    checked = runner.invoke(args=["chain", "check-file", str(filed["path"])])
    assert checked.exit_code == 1 and "summary.html: its sha256 is not the manifest's" in checked.output


def test_only_the_evaluations_readers_get_a_household_file(filed):
    other = make_evaluation("county2")
    _, foreign = api_tokens.create_token(other, "theirs", "read", actor="test")
    db.session.commit()
    url = f"{filed['base']}/api/v1/evaluations/county1/households/{filed['archive_id']}/file"
    assert requests.get(url, headers={"Authorization": f"Bearer {foreign}"}).status_code == 404
    assert requests.get(url).status_code == 401
    missing = requests.get(url.replace(filed["archive_id"], "nobody"), headers=filed["api"])
    assert missing.status_code == 404

"""Encrypted interviews, decrypted server-side for a decryption run (issue 16, "Back-checks and encrypted
interviews"): until a supervisor supplies the private key (or its passphrase) they are listed as
"encrypted, not checked" and each figure reports them among the interviews it left out; once a run opens
them they are checked and counted like any other. The key is used for that run only and stored nowhere;
the decrypted answers are stored encrypted at rest, like ID numbers.

The county (conftest): four exited households of four persons; the shipped questionnaire with a public key,
so Collect sends each interview as an envelope and .enc parts over OpenRosa. Household 0 answers a clean
interview (6,000 yuan per person), household 1 is 错退 (1,000 yuan per person, below the 2020 line).
"""
import csv
import io
import json
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from sqlalchemy import text

from server.infra import secrets_box
from server.infra.extensions import db, rq
from server.models import AuditEntry, Submission
from tests.integration.counting.conftest import figures, run_worker, sealed_county, viewer  # noqa: F401
from tests.integration.exports.conftest import export
from tests.integration.openrosa import encryption
from testkit.recusal_factories import FORM_ID
from tests.integration.recusal.conftest import PASSWORD, sign_in
from testkit.factories import make_evaluation

URL = "/api/v1/evaluations/county1/decryptions"


def _pem(key=None, passphrase=None):
    protection = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else \
        serialization.NoEncryption()
    pkcs8 = serialization.PrivateFormat.PKCS8
    return (key or encryption._KEY).private_bytes(serialization.Encoding.PEM, pkcs8, protection).decode()


def _again(client, username):
    """Sign in again as a user made earlier in the test (one client holds one session)."""
    answer = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.json
    return {"X-CSRF-Token": answer.json["csrf_token"]}


def _listed(client, headers):
    answer = client.get("/api/v1/evaluations/county1/submissions", headers=headers)
    assert answer.status_code == 200, answer.json
    return {item["instance_id"]: item["status"] for item in answer.json["items"]}


def _left_out(f):
    return {name: figure["left_out"]["encrypted_not_checked"] for name, figure in f.items()}


def _everything_stored():
    """Every value of every table, as text, and every Redis string: where a key must never be."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            found.append(" ".join(str(value) for value in row))
    connection = rq.connection
    for name in connection.keys("*"):
        if connection.type(name) == b"string":
            found.append(repr(connection.get(name)))
    return "\n".join(found)


def test_a_decryption_run_checks_and_counts_encrypted_interviews(sealed_county, client):  # noqa: F811
    clean = sealed_county.encrypted_interview(client, 0, income=6000)
    wrongly_exited = sealed_county.encrypted_interview(client, 1, income=1000)
    run_worker()
    headers = viewer(client, sealed_county)
    waiting = "encrypted_not_checked"
    assert _listed(client, headers) == {clean: waiting, wrongly_exited: waiting}
    f, document = figures(client, headers)
    # Counted nowhere, and not silently: every figure says two interviews it may concern were left out.
    assert (f["wrongly_exited_rate"]["numerator"], f["wrongly_exited_rate"]["denominator"]) == (0, 0)
    assert set(_left_out(f).values()) == {2}
    assert document["encrypted_not_checked"] == 2
    # By county their place is unknown: they are left out in the area that is not placed.
    _, by_county = figures(client, headers, level="county")
    unplaced = [a for a in by_county["areas"] if not a["placed"]]
    assert len(unplaced) == 1
    assert {f["left_out"]["encrypted_not_checked"] for f in unplaced[0]["figures"]} == {2}

    supervisor = sign_in(client, "sup1", "supervisor", sealed_county.evaluation)
    answer = client.post(URL, headers=supervisor, json={"private_key": _pem()})
    assert answer.status_code == 200, answer.json
    assert (answer.json["decrypted"], answer.json["failed"], answer.json["not_opened"]) == (2, [], 0)
    assert answer.json["queued"] == 2 and answer.json["next_cursor"] is None
    run_worker()

    headers = _again(client, "viewer1")
    assert _listed(client, headers) == {clean: "clean", wrongly_exited: "clean"}
    f, document = figures(client, headers)
    assert (f["wrongly_exited_rate"]["numerator"], f["wrongly_exited_rate"]["denominator"]) == (4, 8)
    assert (f["endorsement_rate"]["numerator"], f["endorsement_rate"]["denominator"]) == (2, 2)
    assert set(_left_out(f).values()) == {0} and document["encrypted_not_checked"] == 0
    # Read through the API like any interview: the answers are there for those who may read them.
    detail = client.get(f"/api/v1/evaluations/county1/submissions/{wrongly_exited}", headers=headers).json
    _, token = sealed_county.household(1)
    assert detail["answers"]["data"]["card/hh_qr"] == token
    assert {a["name"] for a in detail["answers"]["attachments"] if a["present"]} == {
        "house.jpg", "inside.jpg", "sign.jpg"}  # the decrypted photos' names: the evidence rule saw them

    # At rest the answers are sealed with the data key, like ID numbers; the key itself is nowhere.
    db.session.expire_all()
    stored = db.session.execute(text("SELECT answers FROM submission WHERE instance_id = :i"),
                                {"i": wrongly_exited}).scalar()
    stored = json.loads(stored) if isinstance(stored, str) else stored
    assert token not in json.dumps(stored) and set(stored) == {"encrypted", "sealed"}
    assert json.loads(secrets_box.decrypt(stored["sealed"]))["data"]["card/hh_qr"] == token
    body_line = _pem().splitlines()[5]
    assert body_line not in _everything_stored()
    audit = db.session.query(AuditEntry).filter_by(action="submissions.decrypt").one()
    assert audit.actor == "user:sup1" and audit.details["decrypted"] == 2
    # An export needs no key for what a run has opened.
    job, data = export(client, _again(client, "sup1"), {"form": FORM_ID})
    tables = zipfile.ZipFile(io.BytesIO(data))  # the members' repeat is a second table
    main = tables.read(f"{FORM_ID}.csv").decode("utf-8-sig")
    rows = {r["KEY"]: r for r in csv.DictReader(io.StringIO(main))}
    assert rows[wrongly_exited]["card-hh_qr"] == token and job["result"]["undecrypted"] == 0


def test_what_a_run_cannot_open_waits_for_the_next(sealed_county, client):  # noqa: F811
    first = sealed_county.encrypted_interview(client, 0)
    # Collect has not sent the photo yet: the signature covers every part, so this one cannot be opened.
    partial = sealed_county.encrypted_interview(client, 2, leave_out=("house.jpg.enc",))
    run_worker()
    supervisor = sign_in(client, "sup1", "supervisor", sealed_county.evaluation)
    other_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    answer = client.post(URL, headers=supervisor, json={"private_key": _pem(other_key)})
    assert answer.status_code == 200, answer.json
    assert (answer.json["decrypted"], answer.json["not_opened"]) == (0, 2)  # another form's key
    answer = client.post(URL, headers=supervisor, json={"private_key": _pem()})
    assert answer.json["decrypted"] == 1
    assert [(f["instance_id"], f["code"]) for f in answer.json["failed"]] == [(partial,
                                                                               "decryption.missing_part")]
    later = sealed_county.encrypted_interview(client, 3)  # arrives after the run
    run_worker()
    headers = viewer(client, sealed_county)
    assert _listed(client, headers) == {first: "clean", partial: "encrypted_not_checked",
                                        later: "encrypted_not_checked"}
    f, _ = figures(client, headers)
    assert set(_left_out(f).values()) == {2}
    assert f["wrongly_exited_rate"]["denominator"] == 4
    # The next run opens only what is still closed (the first is not decrypted twice).
    supervisor = _again(client, "sup1")
    answer = client.post(URL, headers=supervisor, json={"private_key": _pem(), "limit": 1})
    assert answer.json["decrypted"] + len(answer.json["failed"]) == 1 and answer.json["next_cursor"]
    answer = client.post(URL, headers=supervisor, json={"private_key": _pem(),
                                                        "after": answer.json["next_cursor"]})
    assert answer.json["next_cursor"] is None
    run_worker()
    f, _ = figures(client, _again(client, "viewer1"))
    assert f["wrongly_exited_rate"]["denominator"] == 8 and set(_left_out(f).values()) == {1}


@pytest.mark.parametrize("body, status, code", [
    ({}, 422, "request.invalid"),
    ({"private_key": "not a key"}, 400, "decryption.bad_key"),
    ({"private_key": "P" * 70000}, 422, "request.invalid"),
    ({"private_key": "KEY", "limit": 0}, 422, "request.invalid"),
])
def test_a_run_refuses_what_is_not_a_key(sealed_county, client, body, status, code):  # noqa: F811
    supervisor = sign_in(client, "sup1", "supervisor", sealed_county.evaluation)
    body = {k: (_pem() if v == "KEY" else v) for k, v in body.items()}
    answer = client.post(URL, headers=supervisor, json=body)
    assert (answer.status_code, answer.json["code"]) == (status, code), answer.json


def test_a_passphrase_opens_a_protected_key(sealed_county, client):  # noqa: F811
    sealed_county.encrypted_interview(client, 0)
    run_worker()
    supervisor = sign_in(client, "sup1", "supervisor", sealed_county.evaluation)
    pem = _pem(passphrase="correct horse")
    wrong = client.post(URL, headers=supervisor, json={"private_key": pem, "passphrase": "wrong"})
    assert (wrong.status_code, wrong.json["code"]) == (400, "decryption.bad_key")
    right = client.post(URL, headers=supervisor, json={"private_key": pem, "passphrase": "correct horse"})
    assert right.status_code == 200 and right.json["decrypted"] == 1


def test_only_reviewers_of_the_evaluation_run_a_decryption(sealed_county, client):  # noqa: F811
    sealed_county.encrypted_interview(client, 0)
    run_worker()
    headers = viewer(client, sealed_county)
    assert client.post(URL, headers=headers, json={"private_key": _pem()}).status_code == 403
    other = sign_in(client, "sup9", "supervisor", make_evaluation("county3"))
    assert client.post(URL, headers=other, json={"private_key": _pem()}).status_code == 404
    assert client.post(URL, json={"private_key": _pem()}).status_code in (401, 403)
    db.session.expire_all()
    assert db.session.query(Submission).filter(Submission.review_status.is_not(None)).count() == 0


def test_the_cli_runs_a_decryption_with_a_key_file(sealed_county, client, runner, tmp_path,  # noqa: F811
                                                   monkeypatch):
    instance_id = sealed_county.encrypted_interview(client, 1, income=1000)
    run_worker()
    path = tmp_path / "form.pem"
    path.write_text(_pem(passphrase="correct horse"))
    monkeypatch.setenv("FIELDCHECK_KEY_PASSPHRASE", "correct horse")
    shown = runner.invoke(args=["decrypt", "county1", "--private-key", str(path)])
    assert shown.exit_code == 0, shown.output
    assert "decrypted 1, could not be opened 0, another key's 0" in shown.output
    run_worker()
    headers = viewer(client, sealed_county)
    f, _ = figures(client, headers)
    assert (f["wrongly_exited_rate"]["numerator"], f["wrongly_exited_rate"]["denominator"]) == (4, 4)
    assert _listed(client, headers)[instance_id] == "clean"
    assert db.session.query(AuditEntry).filter_by(action="submissions.decrypt", actor="cli").count() == 1
    bad = runner.invoke(args=["decrypt", "county1", "--private-key", str(tmp_path / "missing.pem")])
    assert bad.exit_code != 0


def test_the_dashboard_lists_them_and_says_they_are_not_counted(sealed_county, client):  # noqa: F811
    waiting = sealed_county.encrypted_interview(client, 0)
    sealed_county.encrypted_interview(client, 1)
    run_worker()
    viewer(client, sealed_county)  # the session is the dashboard's too
    listed = client.get("/dashboard/county1/interviews?status=encrypted_not_checked").get_data(as_text=True)
    assert waiting in listed and listed.count("已加密，未检查") >= 2
    page = client.get("/dashboard/county1/figures?level=evaluation").get_data(as_text=True)
    assert "2 份加密访谈在督导员用其问卷的私钥解密之前不检查、不计入。" in page
    assert "status=encrypted_not_checked" in page
    supervisor = sign_in(client, "sup1", "supervisor", sealed_county.evaluation)
    assert client.post(URL, headers=supervisor, json={"private_key": _pem()}).json["decrypted"] == 2
    run_worker()
    _again(client, "viewer1")
    page = client.get("/dashboard/county1/figures?level=evaluation").get_data(as_text=True)
    assert "加密访谈" not in page
    listed = client.get("/dashboard/county1/interviews").get_data(as_text=True)
    assert "已加密，未检查" not in listed.split("<tbody")[-1]


def test_a_decryption_during_the_first_check_is_not_undone(sealed_county, client, monkeypatch):  # noqa: F811
    from server.submissions import decryption, decryption_run
    from worker import events

    instance_id = sealed_county.encrypted_interview(client, 0, income=6000)
    parse, *rest = events.EVENT_JOBS["submission.received"]

    def parse_then_a_decryption_lands(work):  # the batch has read the interview still sealed
        parse(work)
        key = decryption.load_private_key(_pem().encode())
        assert decryption_run.run(sealed_county.evaluation, key, "user:sup1").decrypted == 1

    monkeypatch.setitem(events.EVENT_JOBS, "submission.received", (parse_then_a_decryption_lands, *rest))
    run_worker()  # the first check, with the decryption's re-check queued inside it
    monkeypatch.undo()
    run_worker()  # the re-check reads what the decryption opened
    headers = viewer(client, sealed_county)
    assert _listed(client, headers) == {instance_id: "clean"}

"""The evidence chain: what the worker appends after submissions and decisions, verification through the
API and the CLI against the stored rows and files (tampering named), consistency while the chain grows,
and the daily digest."""
import hashlib
import json
import os

import pytest
from sqlalchemy import insert, text

from server.evidence import entry_pages, sources, sweep, verify as chain_verify
from server.infra.extensions import db
from server.models import ChainEntry, Submission
from tests.integration.openrosa.conftest import post
from tests.integration.recusal.conftest import run_worker, sign_in
from testkit.factories import make_evaluation
from testkit.openrosa_factories import instance
from testkit.recusal_factories import interview_fields, submit

PHOTO = b"\xff\xd8\xff\xe0 fake jpeg " * 100
OTHER = b"\xff\xd8\xff\xe0 another photo " * 80


def _fields(*names):
    fields = {"household": "HH-1", "photo": "", "photo2": "", "village": "v1"}
    fields.update(zip(("photo", "photo2"), names))
    return fields


def _collect(client, world):
    """Two interviews through /submission (one with two photos) and an edit of the first; returns their
    instance XML by id."""
    first_id, first = instance(fields=_fields("a.jpg", "b.jpg"))
    second_id, second = instance(fields=_fields())
    edit_id, edit = instance(fields=_fields("a.jpg", "c.jpg"), deprecated_id=first_id)
    photos = [("a.jpg", PHOTO), ("b.jpg", OTHER)]
    assert post(client, world.base + "/submission", first, photos).status_code == 201
    assert post(client, world.base + "/submission", second).status_code == 201
    assert post(client, world.base + "/submission", edit, [("c.jpg", OTHER)]).status_code == 201
    return {first_id: first, second_id: second, edit_id: edit}


def _entries(evaluation_id):
    return db.session.query(ChainEntry).filter_by(evaluation_id=evaluation_id).order_by(ChainEntry.seq).all()


def test_the_worker_chains_every_accepted_submission_and_edit(client, collect_world):
    sent = _collect(client, collect_world)
    run_worker()  # the submission batch asks for a sweep; the chain queue runs it
    entries = _entries(collect_world.evaluation.id)
    assert [e.seq for e in entries] == [1, 2, 3] and {e.kind for e in entries} == {"submission"}
    assert entries[0].prev_hash == "0" * 64
    assert all(e.prev_hash == before.hash for before, e in zip(entries, entries[1:]))
    by_instance = {e.covers["instance_id"]: e for e in entries}
    assert set(by_instance) == set(sent)
    for instance_id, xml in sent.items():
        assert by_instance[instance_id].covers["xml_sha256"] == hashlib.sha256(xml).hexdigest()
    first, _, edit = sent
    assert by_instance[first].covers["attachments"] == [
        ["a.jpg", hashlib.sha256(PHOTO).hexdigest(), len(PHOTO)],
        ["b.jpg", hashlib.sha256(OTHER).hexdigest(), len(OTHER)]]
    assert by_instance[edit].covers["deprecated_id"] == first
    assert by_instance[edit].actor == f"enumerator:{collect_world.enumerator.id}"

    headers = sign_in(client, "viewer", "viewer", collect_world.evaluation)
    answer = client.get("/api/v1/evaluations/county1/chain/verify", headers=headers).json
    assert answer["ok"] and answer["checked"] == 3 and answer["first_mismatch"] is None
    assert answer["head"] == {"seq": 3, "hash": entries[-1].hash}
    # Sweeping again adds nothing: each row is chained once.
    assert sweep.sweep(collect_world.evaluation.id) == 0


def test_verification_names_an_altered_row_and_an_altered_attachment(client, collect_world, runner, app):
    sent = _collect(client, collect_world)
    run_worker()
    first, second, _ = sent
    entry = {e.covers["instance_id"]: e for e in _entries(collect_world.evaluation.id)}
    assert runner.invoke(args=["chain", "verify", "county1"]).exit_code == 0

    # An answer changed in the stored XML, straight in the database.
    row = db.session.query(Submission).filter_by(instance_id=second).one()
    db.session.execute(text("UPDATE submission SET xml = replace(xml, 'HH-1', 'HH-9') WHERE id = :id"),
                       {"id": row.id})
    db.session.commit()
    result = runner.invoke(args=["chain", "verify", "county1", "--json"])
    assert result.exit_code == 1
    bad = json.loads(result.output)["first_mismatch"]
    expected = (entry[second].seq, "submission", row.id, "row")
    assert (bad["seq"], bad["kind"], bad["source_id"], bad["what"]) == expected
    headers = sign_in(client, "viewer", "viewer", collect_world.evaluation)
    answer = client.get("/api/v1/evaluations/county1/chain/verify", headers=headers).json
    assert not answer["ok"] and answer["first_mismatch"]["seq"] == entry[second].seq
    assert answer["checked"] == entry[second].seq - 1
    db.session.execute(text("UPDATE submission SET xml = replace(xml, 'HH-9', 'HH-1') WHERE id = :id"),
                       {"id": row.id})
    db.session.commit()
    assert client.get("/api/v1/evaluations/county1/chain/verify", headers=headers).json["ok"]

    # A photo replaced on disk.
    attachments = db.session.get(Submission, entry[first].source_id).attachments
    photo = next(a for a in attachments if a.name == "b.jpg")
    with open(os.path.join(app.config["MEDIA_ROOT"], photo.path), "r+b") as stored:
        stored.write(b"\x00")
    bad = client.get("/api/v1/evaluations/county1/chain/verify", headers=headers).json["first_mismatch"]
    assert (bad["seq"], bad["what"]) == (entry[first].seq, "file") and "b.jpg" in bad["detail"]
    result = runner.invoke(args=["chain", "verify", "county1"])
    assert result.exit_code == 1 and f"entry {entry[first].seq}" in result.output and "b.jpg" in result.output


def test_postgresql_confirms_every_intact_submission_itself(client, collect_world):
    """The page query's SQL copy of a submission's canonical content must agree with Python's, or every
    row falls back to the slow path unnoticed; 'Z.jpg' sorts before 'a.jpg' by code point, not by a
    language's collation."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite pages confirm nothing: the database checks are PostgreSQL's")
    first_id, first = instance(fields=_fields("a.jpg", "Z.jpg"))
    assert post(client, collect_world.base + "/submission", first,
                [("a.jpg", PHOTO), ("Z.jpg", OTHER)]).status_code == 201
    _collect(client, collect_world)
    run_worker()
    evaluation_id = collect_world.evaluation.id
    pages = list(entry_pages.pages(evaluation_id, sweep.head(evaluation_id)[0], 2))
    entries = [entry for page in pages for entry in page]
    assert len(pages) == 2 and [e.seq for e in entries] == [1, 2, 3, 4]
    assert all(e.confirmed for e in entries)
    assert [e.has_files for e in entries].count(True) == 3
    assert chain_verify.verify(evaluation_id).ok


def test_a_changed_or_missing_entry_is_named(client, collect_world):
    _collect(client, collect_world)
    run_worker()
    entries = _entries(collect_world.evaluation.id)
    db.session.execute(text("DELETE FROM chain_entry WHERE id = :id"), {"id": entries[1].id})
    db.session.commit()
    result = chain_verify.verify(collect_world.evaluation.id)
    assert (result.mismatch.seq, result.mismatch.what) == (3, "entry") and "missing" in result.mismatch.detail


def test_an_entry_whose_recorded_content_or_attachment_record_was_changed_is_named(client, collect_world):
    _collect(client, collect_world)
    run_worker()
    entries = _entries(collect_world.evaluation.id)
    # Updates are refused (a trigger), so the entry is deleted and written again with other content.
    _rewrite(entries[1], covers=dict(entries[1].covers, received_at="2020-01-01T00:00:00.000000+00:00"))
    result = chain_verify.verify(collect_world.evaluation.id)
    assert (result.mismatch.seq, result.mismatch.what) == (2, "entry")
    assert "recorded content was changed" in result.mismatch.detail

    _rewrite(entries[1], covers=entries[1].covers)
    db.session.execute(text("UPDATE attachment SET size = size + 1 WHERE submission_id = :id"),
                       {"id": entries[0].source_id})
    db.session.commit()
    result = chain_verify.verify(collect_world.evaluation.id)
    assert (result.mismatch.seq, result.mismatch.what) == (1, "row")
    assert "attachments" in result.mismatch.detail


def _rewrite(entry, **changes):
    columns = {c.name: getattr(entry, c.name) for c in ChainEntry.__table__.columns}
    db.session.execute(text("DELETE FROM chain_entry WHERE id = :id"), {"id": entry.id})
    db.session.execute(insert(ChainEntry.__table__).values(**{**columns, **changes}))
    db.session.commit()


def test_review_decisions_and_verdicts_are_chained_by_the_relay(client, interview_world, runner):
    household, token = interview_world.households[0]
    instance_id = submit(interview_world.evaluation, interview_world.enumerator,
                         interview_fields(token, household, present=("respondent", "helper")),
                         attachments=()).instance_id
    run_worker()
    headers = sign_in(client, "sup", "supervisor", interview_world.evaluation)
    url = f"/api/v1/evaluations/county1/submissions/{instance_id}"
    reason = "帮扶人只是带路，访谈前已离开，组长核实。"
    assert client.post(f"{url}/review", json={"decision": "clear", "reason": reason},
                       headers=headers).status_code == 201
    verdict = {"flag": "missed", "decision": "reject", "reason": reason}
    assert client.post(f"{url}/classification", json=verdict, headers=headers).status_code == 201
    assert [e.kind for e in _entries(interview_world.evaluation_id)] == ["submission"]

    assert "asked for 1 chain sweep" in runner.invoke(args=["relay", "--once"]).output
    run_worker()
    entries = _entries(interview_world.evaluation_id)
    assert [e.kind for e in entries] == ["submission", "review", "classification"]
    assert entries[1].actor == "user:sup" and entries[1].covers["decision"] == "clear"
    assert "REC-01" in entries[1].covers["codes"] and entries[1].covers["reason"] == reason
    assert entries[2].covers["flag"] == "missed" and entries[2].covers["decision"] == "reject"
    assert client.get("/api/v1/evaluations/county1/chain/verify", headers=headers).json["ok"]
    # Rewriting a decision's reason is named.
    db.session.execute(text("UPDATE review_decision SET reason = 'nothing to see here' WHERE id = :id"),
                       {"id": entries[1].source_id})
    db.session.commit()
    bad = client.get("/api/v1/evaluations/county1/chain/verify", headers=headers).json["first_mismatch"]
    assert (bad["seq"], bad["kind"], bad["what"]) == (2, "review", "row") and "reason" in bad["detail"]
    assert "asked for 0 chain sweep" in runner.invoke(args=["relay", "--once"]).output


def test_verification_answers_for_the_head_it_started_from(client, collect_world, monkeypatch):
    _collect(client, collect_world)
    run_worker()
    evaluation_id = collect_world.evaluation.id
    check = chain_verify._check_covered
    arrived = []

    def check_while_submissions_arrive(*args):
        if not arrived:  # mid-walk, another interview is stored, chained and committed
            arrived.append(_late_row(db.session.query(Submission).first(), 50))
            arrived.append(sweep.sweep(evaluation_id))
            db.session.commit()
        return check(*args)

    monkeypatch.setattr(chain_verify, "_check_covered", check_while_submissions_arrive)
    result = chain_verify.verify(evaluation_id)
    assert arrived == [None, 1]
    assert result.ok and (result.head_seq, result.checked) == (3, 3)
    monkeypatch.undo()
    db.session.commit()
    later = chain_verify.verify(evaluation_id)
    assert later.ok and (later.head_seq, later.checked) == (4, 4)


def _late_row(model_row, row_id):
    """A submission row with an explicit id, as a transaction that took its id early commits late."""
    copy = Submission(id=row_id, evaluation_id=model_row.evaluation_id,
                      form_version_id=model_row.form_version_id, enumerator_id=model_row.enumerator_id,
                      instance_id=f"uuid:late-{row_id}", root_instance_id=f"uuid:late-{row_id}",
                      xml=model_row.xml, xml_sha256=model_row.xml_sha256)
    db.session.add(copy)
    db.session.commit()


def test_a_row_committed_out_of_id_order_is_still_chained(client, collect_world, runner, monkeypatch):
    _collect(client, collect_world)
    evaluation_id = collect_world.evaluation.id
    assert sweep.sweep(evaluation_id) == 3
    model_row = db.session.query(Submission).filter_by(evaluation_id=evaluation_id).first()
    _late_row(model_row, 100)
    assert sweep.sweep(evaluation_id) == 1
    _late_row(model_row, 95)  # below the newest chained id, within the look-back
    assert sweep.sweep(evaluation_id) == 1
    db.session.commit()
    monkeypatch.setattr(sources, "LOOKBACK", 10)
    _late_row(model_row, 60)  # later than any look-back: a repair sweep finds it
    assert sweep.sweep(evaluation_id) == 0
    db.session.rollback()
    assert runner.invoke(args=["chain", "sweep", "county1", "--everything"]).output == "1 entry appended\n"
    chained = {e.source_id for e in _entries(evaluation_id)}
    assert {60, 95, 100} <= chained and len(chained) == 6
    assert chain_verify.verify(evaluation_id).ok


def test_the_daily_digest_and_who_may_read_it(client, collect_world, runner):
    _collect(client, collect_world)
    run_worker()
    entries = _entries(collect_world.evaluation.id)
    headers = sign_in(client, "viewer", "viewer", collect_world.evaluation)
    today = client.get("/api/v1/evaluations/county1/chain/digest", headers=headers).json
    assert (today["entries"], today["hash"]) == (3, entries[-1].hash)
    assert today["statement"].endswith(f"entries=3 sha256={entries[-1].hash}")
    before = client.get("/api/v1/evaluations/county1/chain/digest?date=2020-01-01", headers=headers).json
    assert (before["date"], before["entries"], before["hash"]) == ("2020-01-01", 0, "0" * 64)
    bad = client.get("/api/v1/evaluations/county1/chain/digest?date=yesterday", headers=headers)
    assert bad.status_code == 400 and bad.json["code"] == "chain.bad_date"
    printed = runner.invoke(args=["chain", "digest", "county1", "--json"])
    assert printed.exit_code == 0 and json.loads(printed.output)["hash"] == entries[-1].hash
    assert runner.invoke(args=["chain", "digest", "county1", "--date", "3.12."]).exit_code == 1

    client.delete("/api/v1/session", headers=headers)
    other = make_evaluation("county2")
    outsider = sign_in(client, "outsider", "admin", other)
    for path in ("verify", "digest"):
        assert client.get(f"/api/v1/evaluations/county1/chain/{path}", headers=outsider).status_code == 404
        assert client.get(f"/api/v1/evaluations/county2/chain/{path}", headers=outsider).status_code == 200

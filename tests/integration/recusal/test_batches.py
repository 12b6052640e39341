"""The worker computes a batch of submission events in memory and writes it at once: later events of a
batch see earlier ones, a failing event fails alone and leaves nothing behind, and a batch that cannot be
written runs again one event at a time."""
import hashlib
import uuid

import pytest
from sqlalchemy import func, select

from server.pipeline import outbox
from server.infra.extensions import db
from server.models import (Attachment, CheckRun, FigureContribution, InterviewFact, OutboxEvent,
                           Reconciliation, RuleFinding, Submission)
from server.reconciliation import service as reconciliation_service
from server.reconciliation.store import ReconcileWrites
from testkit.figures_factories import fields_for, totals
from tests.integration.recusal.conftest import run_worker
from testkit.recusal_factories import PHOTOS, submit


def _submit(world, index, **kwargs):
    household, token = world.households[index]
    return submit(world.evaluation, world.enumerator, fields_for(token, household, **kwargs)).id


def _found(submission_id):
    return sorted(db.session.execute(select(RuleFinding.code).where(
        RuleFinding.submission_id == submission_id, RuleFinding.current.is_(True),
        RuleFinding.outcome == "found")).scalars())


def _count(model, **where):
    return db.session.query(model).filter_by(**where).count()


def _events(state):
    """The submission events in `state` (a batch also asks for a chain sweep, which is not counted here)."""
    return db.session.query(OutboxEvent).filter(OutboxEvent.state == state,
                                                OutboxEvent.name.like("submission.%")).all()


def _edit(original_id):
    """An edit of the interview (as Collect sends one): a new current row, the original no longer current."""
    original = db.session.get(Submission, original_id)
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = original.xml.replace(original.instance_id, instance_id)
    row = Submission(evaluation_id=original.evaluation_id, form_version_id=original.form_version_id,
                     enumerator_id=original.enumerator_id, instance_id=instance_id,
                     root_instance_id=original.root_instance_id, deprecated_id=original.instance_id,
                     xml=xml, xml_sha256=hashlib.sha256(xml.encode()).hexdigest())
    original.current = False
    db.session.add(row)
    db.session.flush()
    for name in PHOTOS:  # Collect sends an edit with its attachments
        db.session.add(Attachment(submission_id=row.id, name=name, content_type="image/jpeg", size=3,
                                  sha256="0" * 64, path=f"test/{name}"))
    outbox.emit("submission.received", {"submission_id": row.id}, original.evaluation_id)
    db.session.commit()
    return row.id


def test_two_interviews_of_one_household_in_one_batch_flag_each_other(world):
    first, second = _submit(world, 0), _submit(world, 0)
    run_worker()
    db.session.expire_all()
    assert "IDN-05" in _found(second) and "IDN-05" in _found(first)  # the first through its re-check
    assert db.session.get(Submission, first).pipeline_runs == 2
    assert db.session.get(Submission, second).pipeline_runs == 1
    assert _events("failed") == [] and _count(InterviewFact) == 2


def test_a_recheck_in_the_same_batch_as_its_submission_adds_no_run(world):
    row = _submit(world, 0)
    outbox.emit("submission.recheck", {"submission_id": row}, world.evaluation_id)
    db.session.commit()
    run_worker()
    db.session.expire_all()
    assert _count(CheckRun, submission_id=row) == 1 and _count(RuleFinding, submission_id=row) == 0
    assert db.session.get(Submission, row).pipeline_runs == 2
    aggregate, recomputed = totals(world.evaluation_id)
    assert aggregate == recomputed and aggregate["interviews"] == 1
    assert len(_events("done")) == 2


def test_a_change_in_the_same_batch_keeps_the_earlier_run_as_history(world):
    row = _submit(world, 0)
    run_worker()
    submission = db.session.get(Submission, row)
    changed = submission.xml.replace("<present>respondent</present>",
                                     "<present>respondent village_cadre</present>")
    assert changed != submission.xml
    submission.xml = changed  # a re-check finds what was not there before (as after a rule change)
    for _ in range(2):
        outbox.emit("submission.recheck", {"submission_id": row}, world.evaluation_id)
    db.session.commit()
    run_worker()
    db.session.expire_all()
    assert _count(CheckRun, submission_id=row) == 2 and _count(CheckRun, submission_id=row, current=True) == 1
    assert _found(row) == ["REC-01"] and db.session.get(Submission, row).review_status == "excluded"
    assert totals(world.evaluation_id)[0]["interviews"] == 0


def test_an_edit_in_the_same_batch_as_its_original_counts_once(world):
    original = _submit(world, 0)
    edit = _edit(original)
    _submit(world, 1)
    run_worker()
    db.session.expire_all()
    assert _count(FigureContribution) == 2
    contribution = db.session.query(FigureContribution).filter_by(
        root_instance_id=db.session.get(Submission, original).root_instance_id).one()
    assert contribution.submission_id == edit
    aggregate, recomputed = totals(world.evaluation_id)
    assert aggregate == recomputed and aggregate["interviews"] == 2


def test_a_poison_submission_fails_alone_and_leaves_nothing(world):
    good = [_submit(world, i) for i in range(3)]
    submission = db.session.get(Submission, good[1])
    submission.xml = submission.xml[:200]
    db.session.commit()
    run_worker()
    db.session.expire_all()
    [failed] = _events("failed")
    assert failed.payload["submission_id"] == good[1] and "cannot be parsed" in failed.last_error
    assert db.session.get(Submission, good[1]).processing == "failed"
    assert _count(CheckRun, submission_id=good[1]) == 0 and _count(InterviewFact, submission_id=good[1]) == 0
    assert [db.session.get(Submission, i).pipeline_runs for i in good] == [1, 0, 1]


def test_a_failing_step_fails_its_event_alone_and_it_is_retried(world, monkeypatch):
    rows = [_submit(world, i) for i in range(3)]
    real = reconciliation_service.reconcile

    def flaky(submission, *args, **kwargs):
        if submission.id == rows[0]:
            raise RuntimeError("the archive record is unreadable today")
        return real(submission, *args, **kwargs)

    monkeypatch.setattr(reconciliation_service, "reconcile", flaky)
    run_worker()
    db.session.expire_all()
    [event] = [e for e in db.session.query(OutboxEvent) if e.payload.get("submission_id") == rows[0]]
    assert event.state == "pending" and event.attempts == 1 and "unreadable" in event.last_error
    assert _count(CheckRun, submission_id=rows[0]) == 0 and _count(Reconciliation, submission_id=rows[0]) == 0
    assert db.session.get(Submission, rows[0]).processing == "pending"
    monkeypatch.setattr(reconciliation_service, "reconcile", real)
    event.next_attempt_at = None
    db.session.commit()
    from worker.drain import drain

    drain("submissions")
    db.session.expire_all()
    assert [db.session.get(Submission, i).pipeline_runs for i in rows] == [1, 1, 1]
    assert db.session.query(func.count(CheckRun.id)).scalar() == 3
    assert totals(world.evaluation_id)[0]["interviews"] == 3


@pytest.mark.parametrize("bad_index", [0, 2])
def test_a_batch_that_cannot_be_written_runs_its_events_one_at_a_time(world, monkeypatch, bad_index):
    rows = [_submit(world, i) for i in range(3)]
    real = ReconcileWrites.write

    def refuse(self):
        if rows[bad_index] in self.rows:
            raise RuntimeError("a row another worker wrote meanwhile")
        return real(self)

    monkeypatch.setattr(ReconcileWrites, "write", refuse)
    run_worker()
    db.session.expire_all()
    good = [r for i, r in enumerate(rows) if i != bad_index]
    assert [db.session.get(Submission, i).pipeline_runs for i in good] == [1, 1]
    assert db.session.get(Submission, rows[bad_index]).pipeline_runs == 0
    assert _count(CheckRun) == 2 and _count(InterviewFact) == 2 and _count(Reconciliation) == 2
    assert len(_events("done")) == 2
    aggregate, recomputed = totals(world.evaluation_id)
    assert aggregate == recomputed and aggregate["interviews"] == 2

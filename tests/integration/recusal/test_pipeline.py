"""The worker checks every submission after parsing it: findings, status, history, idempotency."""
from sqlalchemy import select

from server.infra.extensions import db
from server.models import CheckRun, OutboxEvent, RuleFinding, Submission
from tests.integration.recusal.conftest import run_worker
from testkit.recusal_factories import at, interview_fields, submit


def submit_id(*args, **kwargs):
    return submit(*args, **kwargs).id


def found_codes(submission_id):
    return sorted(db.session.execute(select(RuleFinding.code).where(
        RuleFinding.submission_id == submission_id, RuleFinding.current.is_(True),
        RuleFinding.outcome == "found")).scalars())


def not_run(submission_id):
    return sorted(db.session.execute(select(RuleFinding.code).where(
        RuleFinding.submission_id == submission_id, RuleFinding.current.is_(True),
        RuleFinding.outcome == "could_not_run")).scalars())


def test_a_clean_interview_is_clean(world):
    household, token = world.households[0]
    row = submit_id(world.evaluation, world.enumerator, interview_fields(token, household))
    run_worker()
    db.session.expire_all()
    assert found_codes(row) == [] and not_run(row) == []
    assert db.session.get(Submission, row).review_status == "clean"


def test_an_official_present_excludes_the_interview(world):
    household, token = world.households[0]
    fields = interview_fields(token, household, present=("respondent", "village_cadre"))
    row = submit_id(world.evaluation, world.enumerator, fields)
    run_worker()
    db.session.expire_all()
    assert found_codes(row) == ["REC-01"]
    assert db.session.get(Submission, row).review_status == "excluded"


def test_running_the_check_again_adds_no_run(world):
    household, token = world.households[0]
    fields = interview_fields(token, household, minutes=5, start=at(8, 0))
    row = submit_id(world.evaluation, world.enumerator, fields)
    run_worker()
    from server.pipeline import outbox
    outbox.emit("submission.recheck", {"submission_id": row}, world.evaluation.id)
    db.session.commit()
    run_worker()
    db.session.expire_all()
    assert db.session.query(CheckRun).filter_by(submission_id=row).count() == 1
    assert found_codes(row) == ["TIM-01"]
    assert db.session.query(OutboxEvent).filter_by(state="failed").count() == 0

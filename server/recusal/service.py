"""Apply the rules to a submission: load its Case, evaluate, keep the findings and the status.

Every run that changes something is kept as a `check_run` with its findings (the history across
re-checks); the newest is current. Running again with the same settings and the same findings
adds nothing (idempotent). Domain code: it adds to the session, the caller commits.
"""
import hashlib
import json
import logging

from sqlalchemy import select, update

from server import outbox
from server.extensions import db
from server.models import CheckRun, InterviewFact, RuleFinding
from server.recusal import loader, snapshot, status
from server.recusal.engine import evaluate
from server.recusal.registry import RULES
from server.recusal.types import FOUND
from server.recusal.vectors import straight

log = logging.getLogger(__name__)


def apply(submission, batch, trigger=""):
    """Check `submission` (answers parsed) and record the outcome. Returns its current CheckRun, or
    None for an encrypted submission (nothing to read until it is decrypted)."""
    if submission.encrypted or not submission.answers or submission.answers.get("encrypted"):
        return None
    _, settings = batch.evaluation(submission.evaluation_id)
    case, vector = loader.load_case(submission, batch)
    findings = evaluate(case, RULES, settings)
    _write_fact(submission, case, vector, batch)
    household_id = case.household.id if case.household else None
    digest = _inputs_sha256(settings, household_id, findings)
    run = batch.runs.get(submission.id)
    if run is None or run.inputs_sha256 != digest:
        run = _new_run(submission, findings, settings, household_id, digest, trigger, previous=run)
        batch.runs[submission.id] = run
    decision = batch.decisions.get(submission.id)
    submission.review_status = status.status_of(findings, decision, settings.could_not_run)
    if case.same_household:
        _recheck_unflagged(submission, [i.submission_id for i in case.same_household])
    return run


def _inputs_sha256(settings, household_id, findings):
    body = json.dumps({"settings": settings.sha256(), "household": household_id,
                       "findings": [f.to_dict() for f in findings]},
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _new_run(submission, findings, settings, household_id, digest, trigger, previous):
    if previous is not None:
        previous.current = False
        db.session.execute(update(RuleFinding).where(RuleFinding.check_run_id == previous.id)
                           .values(current=False))
    run = CheckRun(submission_id=submission.id, evaluation_id=submission.evaluation_id, current=True,
                   trigger=trigger, inputs_sha256=digest, settings=settings.to_dict(),
                   status=status.derived(findings, settings.could_not_run), household_id=household_id)
    run.findings = [RuleFinding(submission_id=submission.id, evaluation_id=submission.evaluation_id,
                                current=True, code=f.code, rule_version=f.version, severity=f.severity,
                                outcome=f.outcome, title_zh=f.title_zh, title_en=f.title_en,
                                message_zh=f.message_zh, message_en=f.message_en, reason=f.reason,
                                evidence=_plain(f.evidence), parameters=_plain(f.parameters))
                    for f in findings]
    db.session.add(run)
    return run


def _plain(value):
    """JSON-safe copy (datetimes and the like become strings)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _write_fact(submission, case, vector, batch):
    day, start, end, point = snapshot.fact_values(case.answers)
    fact = batch.facts.get(submission.id)
    if fact is None:
        fact = InterviewFact(submission_id=submission.id)
        db.session.add(fact)
        batch.facts[submission.id] = fact
    fact.evaluation_id, fact.instance_id = submission.evaluation_id, submission.instance_id
    fact.enumerator_id = submission.enumerator_id
    fact.household_id = case.household.id if case.household else None
    fact.day, fact.started_at, fact.ended_at = day, start, end
    fact.latitude, fact.longitude = (point.lat, point.lon) if point else (None, None)
    fact.vector_sha256, fact.straight = vector, straight(case.answers)


def _recheck_unflagged(submission, other_ids):
    """Another interview of the same household that does not know it yet is checked again, so the
    pair is flagged whichever arrived first. A re-check that finds it flagged stops there."""
    flagged = set(db.session.execute(select(RuleFinding.submission_id).where(
        RuleFinding.submission_id.in_(other_ids), RuleFinding.current.is_(True),
        RuleFinding.code == "IDN-05", RuleFinding.outcome == FOUND)).scalars())
    for other in sorted(set(other_ids) - flagged):
        outbox.emit("submission.recheck", {"submission_id": other, "reason": "IDN-05"},
                    submission.evaluation_id)

"""Apply the rules to a submission: load its Case, evaluate, and say what to keep (`Checked`).

Every run that changes something is kept as a `check_run` with its findings (the history across
re-checks); the newest is current. Running again with the same settings and the same findings
adds nothing (idempotent). Nothing is written here: the worker batch keeps the outcome for the
batch's later events and writes every event's outcome at once (server/recusal/store.py).
"""
import hashlib
import json
import logging
from dataclasses import dataclass

from sqlalchemy import select

from server.infra.extensions import db
from server.models import RuleFinding
from server.recusal import loader, status
from server.recusal.engine import evaluate
from server.recusal.loader import RunState
from server.recusal.neighbours import Fact
from server.recusal.registry import RULES
from server.recusal.types import FOUND, Place

log = logging.getLogger(__name__)
SAME_HOUSEHOLD, SAME_ANSWERS = "IDN-05", "FAB-01"


@dataclass(frozen=True)
class Checked:
    """The outcome of checking one submission."""

    fact: Fact  # its interview_fact row
    run: RunState  # its current run: a new one, or the previous one when nothing changed
    new: bool
    review_status: str
    finding_count: int  # its findings with outcome found (kept on the submission with the status)
    place: Place  # the place of the household its fact names (none: a back-check, a refusal, no card)
    rechecks: tuple = ()  # (submission id, rule) of twins to check again: they do not know yet

    def columns(self):
        """What the submission row keeps of it: the status, and what the interview table filters and
        sorts on by its indexes."""
        return {"review_status": self.review_status, "finding_count": self.finding_count,
                "interview_day": self.fact.day, "county_code": self.place.county_code,
                "township_code": self.place.township_code, "village_code": self.place.village_code}


def apply(submission, batch, trigger=""):
    """Check `submission` (answers parsed). Returns Checked, or None for an encrypted submission no
    decryption run has opened (nothing to read until then)."""
    if not submission.answers or submission.answers.get("encrypted"):
        return None
    _, settings = batch.evaluation(submission.evaluation_id)
    case, fact = loader.load_case(submission, batch)
    findings = evaluate(case, RULES, settings)
    household_id = case.household.id if case.household else None
    digest = _inputs_sha256(settings, household_id, findings)
    run = batch.runs.get(submission.id)
    new = run is None or run.inputs_sha256 != digest
    if new:
        run = _new_run(submission, findings, settings, household_id, digest, trigger)
    review_status = status.status_of(findings, batch.decisions.get(submission.id), settings.could_not_run)
    rechecks = [(i, code) for code, others in ((SAME_HOUSEHOLD, case.same_household),
                                               (SAME_ANSWERS, case.same_vector))
                for i in _unflagged(batch, _twins(others, run, code), code)]
    found = sum(1 for f in findings if f.outcome == FOUND)
    place = case.household.place if case.household and fact.household_id is not None else Place()
    return Checked(fact, run, new, review_status, found, place, tuple(sorted(set(rechecks))))


def _twins(others, run, code):
    """The other interviews to re-check for rule `code`: only when this one found it (so a twin that
    never triggered the rule here causes no re-check)."""
    if not others or run.found is None or code not in run.found:
        return []
    return [i.submission_id for i in others]


def _inputs_sha256(settings, household_id, findings):
    body = json.dumps({"settings": settings.sha256(), "household": household_id,
                       "findings": [f.to_dict() for f in findings]},
                      sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def _new_run(submission, findings, settings, household_id, digest, trigger):
    common = {"submission_id": submission.id, "evaluation_id": submission.evaluation_id, "current": True}
    row = {**common, "trigger": trigger, "inputs_sha256": digest, "settings": settings.to_dict(),
           "status": status.derived(findings, settings.could_not_run), "household_id": household_id}
    rows = [{**common, "code": f.code, "rule_version": f.version, "severity": f.severity,
             "outcome": f.outcome, "title_zh": f.title_zh, "title_en": f.title_en,
             "message_zh": f.message_zh, "message_en": f.message_en, "reason": f.reason,
             "evidence": _plain(f.evidence), "parameters": _plain(f.parameters)} for f in findings]
    return RunState(None, digest, household_id, row=row, findings=rows,
                    found=frozenset(f.code for f in findings if f.outcome == FOUND))


def _plain(value):
    """JSON-safe copy (datetimes and the like become strings)."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def _unflagged(batch, other_ids, code):
    """Another interview (same household, or identical answers) that does not know it yet is checked
    again, so the pair is flagged whichever arrived first. A re-check that finds it flagged stops there."""
    if not other_ids:
        return []
    made_here = {i: batch.runs[i] for i in other_ids if i in batch.runs and batch.runs[i].found is not None}
    flagged = {i for i, run in made_here.items() if code in run.found}
    stored = sorted(set(other_ids) - set(made_here))
    if stored:
        flagged |= set(db.session.execute(select(RuleFinding.submission_id).where(
            RuleFinding.submission_id.in_(stored), RuleFinding.current.is_(True),
            RuleFinding.code == code, RuleFinding.outcome == FOUND)).scalars())
    return sorted(set(other_ids) - flagged)

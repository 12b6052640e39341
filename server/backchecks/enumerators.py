"""The enumerators' side of an evaluation: per enumerator, interviews, findings per 100 interviews by rule,
median duration, back-check disagreement and last sync."""
from statistics import median

from sqlalchemy import func, select, true

from server.backchecks import queries as backchecks
from server.infra.extensions import db
from server.models import Enumerator, InterviewFact, RuleFinding, Submission
from server.recusal.types import FOUND


def enumerator_rows(evaluation, only=None):
    """[{username, display_name, active, team, interviews, per_100: {code: x}, median_minutes,
    backcheck_rate, last_sync}], of every enumerator or of `only` (an Enumerator)."""
    people = select(Enumerator).where(Enumerator.evaluation_id == evaluation.id)
    people = db.session.execute((people.where(Enumerator.id == only.id) if only else people)
                                .order_by(Enumerator.username)).scalars().all()
    mine = (lambda column: column == only.id) if only else (lambda column: true())
    counts = dict(db.session.execute(
        select(Submission.enumerator_id, func.count()).where(
            Submission.evaluation_id == evaluation.id, Submission.current.is_(True),
            mine(Submission.enumerator_id))
        .group_by(Submission.enumerator_id)).all())
    synced = dict(db.session.execute(
        select(Submission.enumerator_id, func.max(Submission.received_at))
        .where(Submission.evaluation_id == evaluation.id, mine(Submission.enumerator_id))
        .group_by(Submission.enumerator_id)).all())
    findings = {}
    for enumerator_id, code, n in db.session.execute(
            select(Submission.enumerator_id, RuleFinding.code, func.count(func.distinct(Submission.id)))
            .join(Submission, Submission.id == RuleFinding.submission_id)
            .where(RuleFinding.evaluation_id == evaluation.id, RuleFinding.current.is_(True),
                   RuleFinding.outcome == FOUND, Submission.current.is_(True), mine(Submission.enumerator_id))
            .group_by(Submission.enumerator_id, RuleFinding.code)):
        findings.setdefault(enumerator_id, {})[code] = n
    durations = _durations(evaluation, mine)
    rates = {r["enumerator"]: r for r in backchecks.report(evaluation).get("by_enumerator", [])}
    rows = []
    for person in people:
        n = counts.get(person.id, 0)
        found = sorted(findings.get(person.id, {}).items())
        minutes = durations.get(person.id)
        rows.append({"username": person.username, "display_name": person.display_name,
                     "active": person.active, "team": person.team, "interviews": n,
                     "per_100": {c: round(100 * k / n, 1) for c, k in found} if n else {},
                     "median_minutes": round(median(minutes), 1) if minutes else None,
                     "backcheck_rate": (rates.get(person.username) or {}).get("error_rate"),
                     "last_sync": synced.get(person.id)})
    return rows


def _durations(evaluation, mine):
    out = {}
    for enumerator_id, started, ended in db.session.execute(
            select(InterviewFact.enumerator_id, InterviewFact.started_at, InterviewFact.ended_at)
            .where(InterviewFact.evaluation_id == evaluation.id, InterviewFact.started_at.is_not(None),
                   InterviewFact.ended_at.is_not(None), mine(InterviewFact.enumerator_id))):
        out.setdefault(enumerator_id, []).append((ended - started).total_seconds() / 60)
    return out

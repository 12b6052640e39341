"""Reads for the API and the dashboard: interviews with their status, findings and history."""
from sqlalchemy import exists, select

from server.infra.extensions import db
from server.models import (Attachment, CheckRun, Enumerator, Household, InterviewFact, ReviewDecision,
                           RuleFinding, Submission)
from server.recusal import status
from server.recusal.types import FOUND
from server.submissions import sealed

PAGE_MAX = 200


def list_interviews(evaluation, query):
    """(summaries, next cursor) of current submissions matching `query` (ListQuerySchema data)."""
    stmt = (select(Submission, Enumerator.username, Household.archive_id, Household.village_code,
                   InterviewFact.day)
            .outerjoin(Enumerator, Enumerator.id == Submission.enumerator_id)
            .outerjoin(InterviewFact, InterviewFact.submission_id == Submission.id)
            .outerjoin(Household, Household.id == InterviewFact.household_id)
            .where(Submission.evaluation_id == evaluation.id, Submission.current.is_(True)))
    stmt = _filtered(stmt, query).order_by(Submission.id).limit(query["limit"] + 1)
    rows = db.session.execute(stmt).all()
    more = len(rows) > query["limit"]
    rows = rows[:query["limit"]]
    codes = _found_codes([r[0].id for r in rows])
    items = [_summary(sub, username, archive_id, village, day, codes.get(sub.id, []))
             for sub, username, archive_id, village, day in rows]
    return items, (rows[-1][0].id if more else None)


def _filtered(stmt, query):
    if query.get("status") == status.ENCRYPTED_NOT_CHECKED:
        stmt = stmt.where(Submission.encrypted.is_(True), Submission.review_status.is_(None))
    elif "status" in query:
        stmt = stmt.where(Submission.review_status == query["status"])
    if "enumerator" in query:
        stmt = stmt.where(Enumerator.username == query["enumerator"])
    if "village" in query:
        stmt = stmt.where(Household.village_code == query["village"])
    if "date_from" in query:
        stmt = stmt.where(InterviewFact.day >= query["date_from"].isoformat())
    if "date_to" in query:
        stmt = stmt.where(InterviewFact.day <= query["date_to"].isoformat())
    if "after" in query:
        stmt = stmt.where(Submission.id > query["after"])
    if "rule" in query:
        stmt = stmt.where(exists().where(RuleFinding.submission_id == Submission.id,
                                         RuleFinding.current.is_(True), RuleFinding.code == query["rule"],
                                         RuleFinding.outcome == FOUND))
    return stmt


def _found_codes(submission_ids):
    codes = {}
    if submission_ids:
        rows = db.session.execute(select(RuleFinding.submission_id, RuleFinding.code).where(
            RuleFinding.submission_id.in_(submission_ids), RuleFinding.current.is_(True),
            RuleFinding.outcome == FOUND).order_by(RuleFinding.code))
        for submission_id, code in rows:
            codes.setdefault(submission_id, []).append(code)
    return codes


def _summary(sub, username, archive_id, village, day, codes):
    return {"instance_id": sub.instance_id, "root_instance_id": sub.root_instance_id,
            "status": status.listed(sub.review_status, sub.encrypted), "processing": sub.processing,
            "enumerator": username,
            "household": archive_id, "village_code": village, "day": day, "received_at": sub.received_at,
            "codes": codes, "problem": sub.processing_problem}


def interview_detail(submission):
    """Everything the API shows about one interview."""
    row = db.session.execute(
        select(Enumerator.username, Household.archive_id, Household.village_code, InterviewFact.day)
        .select_from(Submission)
        .outerjoin(Enumerator, Enumerator.id == Submission.enumerator_id)
        .outerjoin(InterviewFact, InterviewFact.submission_id == Submission.id)
        .outerjoin(Household, Household.id == InterviewFact.household_id)
        .where(Submission.id == submission.id)).one()
    runs = db.session.execute(select(CheckRun).where(CheckRun.submission_id == submission.id)
                              .order_by(CheckRun.id.desc())).scalars().all()
    current = next((r for r in runs if r.current), None)
    findings = current.findings if current else []
    detail = _summary(submission, *row, [f.code for f in findings if f.outcome == FOUND])
    detail.update(answers=sealed.opened(submission.answers), findings=[_finding(f) for f in findings],
                  history=[_run(r) for r in runs], decisions=_decisions(submission.id),
                  attachments=db.session.execute(select(Attachment).where(
                      Attachment.submission_id == submission.id).order_by(Attachment.name)).scalars().all())
    return detail


def _finding(f):
    return {"code": f.code, "rule_version": f.rule_version, "severity": f.severity, "outcome": f.outcome,
            "title": {"zh": f.title_zh, "en": f.title_en},
            "message": {"zh": f.message_zh, "en": f.message_en},
            "reason": f.reason, "evidence": f.evidence, "parameters": f.parameters}


def _run(run):
    return {"id": run.id, "run_at": run.run_at, "trigger": run.trigger, "status": run.status,
            "current": run.current, "codes": [f.code for f in run.findings if f.outcome == FOUND]}


def _decisions(submission_id):
    return db.session.execute(select(ReviewDecision).where(ReviewDecision.submission_id == submission_id)
                              .order_by(ReviewDecision.id)).scalars().all()

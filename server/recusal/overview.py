"""What a supervisor sees first: today's and this week's interviews by enumerator and village, what waits
for review by rule, and the register's last import."""
from datetime import timedelta

from sqlalchemy import func, select

from server.infra.extensions import db
from server.models import Enumerator, Household, InterviewFact, RuleFinding, Submission
from server.recusal.measure import china_day
from server.models.types import utcnow
from server.recusal.types import FOUND


def interviews_by(evaluation, today=None):
    """{"today": day, "week_from": day, "rows": [{enumerator, village, today, week}]}, China days."""
    today = today or china_day(utcnow())
    week_from = (_date(today) - timedelta(days=_date(today).weekday())).isoformat()
    day = InterviewFact.day
    rows = db.session.execute(
        select(Enumerator.display_name, Household.village,
               func.sum((day == today).cast(db.Integer)), func.count())
        .select_from(InterviewFact)
        .join(Submission, Submission.id == InterviewFact.submission_id)
        .outerjoin(Enumerator, Enumerator.id == InterviewFact.enumerator_id)
        .outerjoin(Household, Household.id == InterviewFact.household_id)
        .where(InterviewFact.evaluation_id == evaluation.id, Submission.current.is_(True), day >= week_from,
               day <= today)
        .group_by(Enumerator.display_name, Household.village)
        .order_by(Enumerator.display_name, Household.village)).all()
    return {"today": today, "week_from": week_from,
            "rows": [{"enumerator": e, "village": v, "today": int(t or 0), "week": int(w)}
                     for e, v, t, w in rows]}


def _date(text):
    from datetime import date

    return date.fromisoformat(text)


def waiting_by_rule(evaluation):
    """[(rule code, interviews awaiting review with that finding)], most first."""
    return db.session.execute(
        select(RuleFinding.code, func.count(func.distinct(RuleFinding.submission_id)))
        .join(Submission, Submission.id == RuleFinding.submission_id)
        .where(RuleFinding.evaluation_id == evaluation.id, RuleFinding.current.is_(True),
               RuleFinding.outcome == FOUND, Submission.review_status == "review")
        .group_by(RuleFinding.code).order_by(func.count(func.distinct(RuleFinding.submission_id)).desc(),
                                             RuleFinding.code)).all()


COUNT_CAP = 10_000


def awaiting_review(evaluation):
    """How many interviews wait for review, counted on the status index up to COUNT_CAP + 1 (shown as
    "more than 10,000"): never a count over the whole table per page view."""
    waiting = (select(Submission.id).where(Submission.evaluation_id == evaluation.id,
                                           Submission.current.is_(True), Submission.review_status == "review")
               .limit(COUNT_CAP + 1).subquery())
    return db.session.execute(select(func.count()).select_from(waiting)).scalar()


def last_import(evaluation):
    """(when the register last changed, households in it)."""
    return db.session.execute(select(func.max(Household.updated_at), func.count()).where(
        Household.evaluation_id == evaluation.id, Household.withdrawn_at.is_(None))).one()

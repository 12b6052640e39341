"""The dashboard's interview table: current submissions filtered, sorted and paged by keyset.

No COUNT over the table per page: a page is the next LIMIT rows after the cursor, on the index
(evaluation_id, current, received_at, id) for the default order and (evaluation_id, current,
finding_count, id) for most findings first. What the filters name is on the submission where they
would otherwise read another table for each interview walked (its finding count, interview day and
place, kept there by the rules step), each with an index in the table's order; the household code and
the head's name start from the household's indexes.
"""
from datetime import datetime

from sqlalchemy import select, tuple_

from server.households.name_search import head_name_contains
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Enumerator, Form, FormVersion, Household, InterviewFact, RuleFinding, Submission
from server.recusal import status
from server.recusal.types import FOUND

PAGE = 50
SORTS = ("date", "findings")
# The keys of each order, newest or most first: (Submission column, row key, cursor text to value). By
# date, the received time; when the filters name interview days, the day first (the days' index is then
# read in its order: by received time alone, a range of old days is found only after every newer
# interview is read).
_RECEIVED, _ID = ("received_at", "received_at", datetime.fromisoformat), ("id", "id", int)
ORDERS = {"date": (_RECEIVED, _ID), "days": (("interview_day", "interview_day", str), _RECEIVED, _ID),
          "findings": (("finding_count", "findings", int), _ID)}
FILTERS = ("status", "rule", "county", "township", "village", "enumerator", "form", "date_from", "date_to",
           "household", "head")


def page(evaluation, filters, sort="date", cursor=None, limit=PAGE):
    """(rows, next cursor or None). Rows are dicts; `filters` holds FILTERS keys with non-empty values.

    Raises Problem table.bad_sort / table.bad_cursor (422)."""
    if sort not in SORTS:
        raise Problem("table.bad_sort", msg("The sort is one of %(choices)s.", choices=", ".join(SORTS)), 422)
    by_day = sort == "date" and (filters.get("date_from") or filters.get("date_to"))
    order = ORDERS["days" if by_day else sort]
    key = [getattr(Submission, column) for column, _, _ in order]
    # First the page's submissions, filtered by semi-joins, in the order of an index; then what the
    # table shows, joined for those rows only.
    ids = select(Submission.id).where(Submission.evaluation_id == evaluation.id,
                                      Submission.current.is_(True), *_conditions(filters, evaluation))
    if cursor:
        ids = ids.where(tuple_(*key) < tuple_(*_decode(cursor, order)))
    ids = ids.order_by(*(k.desc() for k in key)).limit(limit + 1).subquery()
    stmt = (select(Submission.id, Submission.instance_id, Submission.received_at, Submission.review_status,
                   Submission.encrypted, Submission.processing, Enumerator.username, Enumerator.display_name,
                   Household.archive_id, Household.head_name, Household.village, Household.village_code,
                   InterviewFact.day, Submission.interview_day, Submission.finding_count.label("findings"))
            .join(ids, ids.c.id == Submission.id)
            .outerjoin(Enumerator, Enumerator.id == Submission.enumerator_id)
            .outerjoin(InterviewFact, InterviewFact.submission_id == Submission.id)
            .outerjoin(Household, Household.id == InterviewFact.household_id)
            .order_by(*(k.desc() for k in key)))
    rows = db.session.execute(stmt).all()
    more, rows = len(rows) > limit, rows[:limit]
    items = [{**r._mapping, "status": status.listed(r.review_status, r.encrypted)} for r in rows]
    return items, (_encode(items[-1], order) if more else None)


def _conditions(f, evaluation):
    """The WHERE conditions on Submission for the filters `f`."""
    conditions = _status_conditions(f.get("status"))
    for name in ("county", "township", "village"):  # the household's place, kept on the submission
        if f.get(name):
            conditions.append(getattr(Submission, f"{name}_code") == f[name])
    if f.get("date_from"):
        conditions.append(Submission.interview_day >= f["date_from"])
    if f.get("date_to"):
        conditions.append(Submission.interview_day <= f["date_to"])
    if f.get("enumerator"):  # by id: the index (enumerator_id, received_at) is the table's order
        conditions.append(Submission.enumerator_id.in_(select(Enumerator.id).where(
            Enumerator.evaluation_id == evaluation.id, Enumerator.username == f["enumerator"])))
    if f.get("form"):
        conditions.append(Submission.form_version_id.in_(
            select(FormVersion.id).join(Form, Form.id == FormVersion.form_id)
            .where(Form.evaluation_id == evaluation.id, Form.xml_form_id == f["form"])))
    if f.get("rule"):
        conditions.append(Submission.id.in_(select(RuleFinding.submission_id).where(
            RuleFinding.evaluation_id == evaluation.id, RuleFinding.code == f["rule"],
            RuleFinding.outcome == FOUND, RuleFinding.current.is_(True))))
    household = _household_conditions(f)
    if household:  # the interviews of the households the filters name
        conditions.append(Submission.id.in_(
            select(InterviewFact.submission_id).join(Household, Household.id == InterviewFact.household_id)
            .where(InterviewFact.evaluation_id == evaluation.id, Household.evaluation_id == evaluation.id,
                   *household)))
    return conditions


def _status_conditions(wanted):
    if wanted == status.ENCRYPTED_NOT_CHECKED:  # sealed: the rules have not read it yet
        return [Submission.encrypted.is_(True), Submission.review_status.is_(None)]
    return [Submission.review_status == wanted] if wanted else []


def _household_conditions(f):
    conditions = [Household.archive_id == f["household"]] if f.get("household") else []
    if f.get("head"):
        conditions.append(head_name_contains(Household.head_name, f["head"]))
    return conditions


def _encode(item, order):
    return "~".join(item[name].isoformat() if isinstance(item[name], datetime) else str(item[name])
                    for _, name, _ in order)


def _decode(cursor, order):
    parts = cursor.split("~")
    try:
        if len(parts) != len(order):
            raise ValueError(cursor)
        return tuple(parse(part) for part, (_, _, parse) in zip(parts, order))
    except ValueError:
        raise Problem("table.bad_cursor", msg("This page link is not valid any more; start from the first "
                                              "page."), 422) from None


def next_flagged(evaluation, submission):
    """The instance id of the newest interview awaiting review other than `submission`, or None."""
    return db.session.execute(
        select(Submission.instance_id)
        .where(Submission.evaluation_id == evaluation.id, Submission.current.is_(True),
               Submission.review_status == "review", Submission.id != submission.id)
        .order_by(Submission.received_at.desc(), Submission.id.desc()).limit(1)).scalar()

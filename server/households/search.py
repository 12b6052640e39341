"""Finding households in the register: by household code, head's name or village, in archive-id order.

One query serves the dashboard, the API (`?q=`) and the CLI (`households search`). A page follows the
(evaluation_id, archive_id) index and stops at the page's size, so a common word is quick; a word that
matches almost nothing reads the evaluation's rows once (about 0.3 s for a million on PostgreSQL).
"""
import re
from collections import OrderedDict

from flask import current_app
from sqlalchemy import and_, func, or_, select

from server.infra.extensions import db
from server.households.queries import decode_cursor, encode_cursor
from server.models import Assignment, Enumerator, Household, HouseholdCounter, HouseholdToken, SampleUnit

MAX_TEXT = 100
_CODE = re.compile(r"[0-9A-Za-z_-]+")  # what a household or village code is made of
_VILLAGES, _CACHED_EVALUATIONS = "fieldcheck.villages", 64


# What a list of households shows: not the record, which is most of a row's bytes.
LISTED = (Household.archive_id, Household.head_name, Household.village, Household.village_code,
          Household.member_count, Household.status, Household.withdrawn_at)


def search(evaluation_id, text="", village_code=None, status=None, cursor=None, limit=50, brief=False):
    """(households, next cursor or None). `text` made of letters, digits, '-' and '_' matches the start of
    the household code or the village code; other text any part of the head's or the village's name;
    empty matches every household.
    `brief`: rows of the LISTED columns instead of whole households."""
    query = select(*LISTED) if brief else select(Household)
    query = query.where(Household.evaluation_id == evaluation_id)
    text = (text or "").strip()[:MAX_TEXT]
    if text and _CODE.fullmatch(text):
        query = query.where(or_(_starts(Household.archive_id, text), _starts(Household.village_code, text)))
    elif text:
        query = query.where(or_(Household.head_name.contains(text, autoescape=True),
                                Household.village.contains(text, autoescape=True)))
    if village_code:
        query = query.where(Household.village_code == village_code)
    if status:
        query = query.where(Household.status == status)
    if cursor:
        query = query.where(Household.archive_id > decode_cursor(cursor))
    result = db.session.execute(query.order_by(Household.archive_id).limit(limit + 1))
    rows = result.all() if brief else result.scalars().all()
    more, rows = len(rows) > limit, rows[:limit]
    return rows, (encode_cursor(rows[-1].archive_id) if more else None)


def _starts(column, prefix):
    # A range the (evaluation_id, code) indexes can read, and the exact test (LIKE) within it.
    return and_(column >= prefix, column < prefix + "\U0010ffff", column.startswith(prefix, autoescape=True))


def villages(evaluation_id):
    """[{village_code, village, township, households}] of the active register, by village code.

    Counting a million households by village takes a good part of a second, and the answer changes only
    with the register: it is kept per process until the evaluation's change counter moves (every import
    and withdrawal moves it)."""
    seq = db.session.execute(select(HouseholdCounter.last_seq).where(
        HouseholdCounter.evaluation_id == evaluation_id)).scalar()
    cache = current_app.extensions.setdefault(_VILLAGES, OrderedDict())
    hit = cache.get(evaluation_id)
    if hit is not None and hit[0] == seq:
        return hit[1]
    found = _count_villages(evaluation_id)
    cache[evaluation_id] = (seq, found)
    cache.move_to_end(evaluation_id)
    while len(cache) > _CACHED_EVALUATIONS:
        cache.popitem(last=False)
    return found


def _count_villages(evaluation_id):
    rows = db.session.execute(
        select(Household.village_code, func.min(Household.village), func.min(Household.township),
               func.count())
        .where(Household.evaluation_id == evaluation_id, Household.withdrawn_at.is_(None))
        .group_by(Household.village_code).order_by(Household.village_code)).all()
    return [{"village_code": code, "village": village, "township": township, "households": n}
            for code, village, township, n in rows]


def card_state(household):
    """"active" when the household has a live QR card, "revoked" when every card was revoked, else "none"."""
    rows = db.session.execute(select(HouseholdToken.revoked_at).where(
        HouseholdToken.household_id == household.id)).scalars().all()
    if any(r is None for r in rows):
        return "active"
    return "revoked" if rows else "none"


def assignments_of(household):
    """The household's live assignments (directly, through a sample unit, or its whole village):
    [{enumerator, display_name, sample_id, village}]."""
    rows = db.session.execute(
        select(Enumerator.username, Enumerator.display_name, SampleUnit.sample_id, Assignment.village_code)
        .join(Enumerator, Enumerator.id == Assignment.enumerator_id)
        .outerjoin(SampleUnit, SampleUnit.id == Assignment.sample_unit_id)
        .where(Assignment.evaluation_id == household.evaluation_id, Assignment.revoked_at.is_(None),
               or_(Assignment.household_id == household.id,
                   Assignment.village_code == household.village_code))
        .order_by(Enumerator.username)).all()
    return [{"enumerator": u, "display_name": d, "sample_id": s, "village": bool(v)} for u, d, s, v in rows]

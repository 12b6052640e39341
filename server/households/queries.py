"""Reading the register: cursor pages with filters and the changes feed (by change_seq)."""
import base64

from sqlalchemy import select

from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Household

FILTERS = ("county_code", "township_code", "village_code", "status")


def encode_cursor(archive_id):
    return base64.urlsafe_b64encode(archive_id.encode()).decode().rstrip("=")


def decode_cursor(cursor):
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise Problem("request.bad_cursor",
                      msg("The cursor is not one this API gave out; start again without "
                          "it."), 400) from None


def list_page(evaluation_id, cursor=None, limit=100, withdrawn=None, **filters):
    """One page ordered by archive_id; returns (households, next_cursor or None)."""
    query = select(Household).where(Household.evaluation_id == evaluation_id)
    for name in FILTERS:
        if filters.get(name):
            query = query.where(getattr(Household, name) == filters[name])
    if withdrawn is not None:
        column = Household.withdrawn_at
        query = query.where(column.isnot(None) if withdrawn else column.is_(None))
    if cursor:
        query = query.where(Household.archive_id > decode_cursor(cursor))
    rows = db.session.execute(query.order_by(Household.archive_id).limit(limit + 1)).scalars().all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, (encode_cursor(rows[-1].archive_id) if more else None)


def changes(evaluation_id, since=0, limit=1000):
    """Households whose change_seq > since, oldest first; returns (rows, has_more)."""
    rows = db.session.execute(
        select(Household).where(Household.evaluation_id == evaluation_id, Household.change_seq > since)
        .order_by(Household.change_seq).limit(limit + 1)).scalars().all()
    return rows[:limit], len(rows) > limit

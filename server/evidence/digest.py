"""The daily digest: the chain's head at the end of a day (China time, the evaluation's working day) with
its entry count and hash. Kept outside fieldcheck (the archive system, a notary), it pins every entry up to
it: a later verification that reaches a different hash at that count shows the chain was rewritten."""
from datetime import date as Date, datetime, time, timedelta, timezone

from sqlalchemy import select

from server.evidence import canonical
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import ChainEntry
from server.models.types import utcnow

CHINA = timezone(timedelta(hours=8))


def today():
    return utcnow().astimezone(CHINA).date()


def digest(evaluation, day=None):
    """The head as of the end of `day` (a date; default today): a dict ready for JSON or a line of text."""
    day = day or today()
    end = datetime.combine(day + timedelta(days=1), time(), CHINA)
    row = db.session.execute(select(ChainEntry.seq, ChainEntry.hash, ChainEntry.chained_at).where(
        ChainEntry.evaluation_id == evaluation.id, ChainEntry.chained_at < end)
        .order_by(ChainEntry.seq.desc()).limit(1)).first()
    entries, head_hash = (row.seq, row.hash) if row else (0, canonical.GENESIS)
    return {"evaluation": evaluation.code, "date": day.isoformat(), "entries": entries, "hash": head_hash,
            "head_chained_at": row.chained_at.isoformat() if row else None,
            "statement": f"fieldcheck evidence chain {evaluation.code} {day.isoformat()} entries={entries} "
                         f"sha256={head_hash}"}


def parse_day(value):
    """A YYYY-MM-DD string as a date. Raises Problem chain.bad_date (400)."""
    try:
        return Date.fromisoformat(value)
    except (TypeError, ValueError):
        raise Problem("chain.bad_date", msg("The date is a day written YYYY-MM-DD."), 400) from None

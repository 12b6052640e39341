"""Where a submission stands in the archive feed's order (server/feed), set whenever what the feed shows
of it changes: its checks and reconciliation (the worker), a review decision, a classification verdict.

On PostgreSQL the mark is the writing transaction's id (xid8), and the feed reads only marks below the
oldest transaction still running (its snapshot's xmin). A mark can only appear below that horizon once
every transaction that could write it has ended, so a reader that moves past a mark never misses a row
committed later with a smaller one — without serialising the writers. A long writing transaction
anywhere in the cluster (ids are the cluster's) holds the feed back: it waits, never skips; readers
poll. SQLite has one writer at a time, so a counter is enough there.
"""
from sqlalchemy import func, select, text
from sqlalchemy.sql import literal_column

from server.infra.extensions import db
from server.models import Submission

_PG_MARK = "pg_current_xact_id()::text::bigint"
_PG_HORIZON = "pg_snapshot_xmin(pg_current_snapshot())::text::bigint"


def _postgresql():
    return db.engine.dialect.name == "postgresql"


def mark():
    """SQL for the mark of a change made now (use as a column value in an UPDATE)."""
    if _postgresql():
        return literal_column(_PG_MARK)
    return select(func.coalesce(func.max(Submission.feed_mark), 0) + 1).scalar_subquery()


def touch(submission):
    """Mark one submission as changed (flushed with the caller's transaction)."""
    submission.feed_mark = mark()


def horizon():
    """The first mark the feed may not show yet (None: no limit)."""
    if _postgresql():
        return db.session.execute(text(f"SELECT {_PG_HORIZON}")).scalar()
    return None

"""Commit a unit of work, retrying it when the database reports a deadlock or serialization failure.

Used by the outermost callers (views, commands): the work must be safe to run again from scratch.
"""
import random
import time

from sqlalchemy.exc import DBAPIError

from server.infra.extensions import db

_RETRY_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def retryable(exc):
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in _RETRY_SQLSTATES:
        return True
    return "database is locked" in str(orig)  # SQLite, when the busy timeout was not enough


def commit_with_retries(work, attempts=5):
    """Run `work()` and commit; on a retryable error roll back and run it again. Returns its result."""
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            db.session.commit()
            return result
        except DBAPIError as exc:
            db.session.rollback()
            if attempt == attempts or not retryable(exc):
                raise
            time.sleep(random.uniform(0.05, 0.2) * attempt)  # jitter so the two sides do not collide again
    raise AssertionError("unreachable")

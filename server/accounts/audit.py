"""Append entries to the audit log, each chained to the one before by a sha256 hash."""
import hashlib
import json
from datetime import timezone

from sqlalchemy import select, text

from server.infra.extensions import db
from server.models import AuditEntry
from server.models.types import utcnow

GENESIS = "0" * 64
_CHAIN_LOCK = 734_221  # PostgreSQL advisory lock id that serialises appends to the chain


def record(actor, action, target="", details=None, evaluation_id=None):
    """Add an audit entry to the current transaction (the caller commits). Returns the entry."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _CHAIN_LOCK})
    prev = db.session.execute(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)).scalar()
    entry = AuditEntry(at=utcnow(), actor=actor, action=action, target=str(target),
                       details=details or {}, evaluation_id=evaluation_id, prev_hash=prev or GENESIS)
    entry.hash = entry_hash(entry)
    db.session.add(entry)
    db.session.flush()
    return entry


def entry_hash(entry):
    at = entry.at.astimezone(timezone.utc).isoformat()
    body = json.dumps([entry.prev_hash, at, entry.actor, entry.action, entry.target,
                       entry.details, entry.evaluation_id], ensure_ascii=False, sort_keys=True,
                      separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def verify_chain():
    """Return the id of the first entry whose hash or link is wrong, or None if the chain holds."""
    prev = GENESIS
    for entry in db.session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars():
        if entry.prev_hash != prev or entry.hash != entry_hash(entry):
            return entry.id
        prev = entry.hash
    return None

"""The append-only audit log, chained by hashes so tampering shows (architecture, decision 7)."""
from typing import Optional

from sqlalchemy import ForeignKey, String, event
from sqlalchemy.orm import Mapped, mapped_column

from server.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    evaluation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("evaluation.id"), index=True)
    actor: Mapped[str] = mapped_column(String(120))      # "user:alice", "enumerator:7", "token:3", "cli"
    action: Mapped[str] = mapped_column(String(64))      # "evaluation.create", "assignment.override", ...
    target: Mapped[str] = mapped_column(String(120), default="")
    details: Mapped[dict] = mapped_column(Json, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # no forks in the chain
    hash: Mapped[str] = mapped_column(String(64), unique=True)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    # The database refuses too (triggers in the migration); this catches it earlier with a clear message.
    raise RuntimeError("the audit log is append-only")

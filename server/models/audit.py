"""The append-only audit log, chained by hashes so tampering shows (architecture, decision 7)."""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, event
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow


class AuditEntry(db.Model):
    __tablename__ = "audit_log"
    # The audit log page and GET .../audit: newest first in one evaluation, optionally of one actor.
    __table_args__ = (Index("ix_audit_log_evaluation_id_at_id", "evaluation_id", "at", "id"),
                      Index("ix_audit_log_evaluation_id_actor_at_id", "evaluation_id", "actor", "at", "id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    evaluation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("evaluation.id"), index=True)
    actor: Mapped[str] = mapped_column(String(120))      # "user:alice", "enumerator:7", "token:3", "cli"
    action: Mapped[str] = mapped_column(String(64))      # "evaluation.create", "assignment.override", ...
    target: Mapped[str] = mapped_column(String(120), default="", index=True)  # one interview's history
    details: Mapped[dict] = mapped_column(Json, default=dict)
    prev_hash: Mapped[str] = mapped_column(String(64), unique=True)  # no forks in the chain
    hash: Mapped[str] = mapped_column(String(64), unique=True)


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    # The database refuses too (triggers in the migration); this catches it earlier with a clear message.
    raise RuntimeError("the audit log is append-only")

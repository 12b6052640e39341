"""The outbox: work recorded in the same transaction as the data it concerns (architecture, decision 2)."""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow

EVENT_STATES = ("pending", "done", "failed")


class OutboxEvent(db.Model):
    __tablename__ = "outbox_event"
    __table_args__ = (Index("ix_outbox_pending", "state", "queue", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(64))
    queue: Mapped[str] = mapped_column(String(32), default="default")  # which workers take it
    payload: Mapped[dict] = mapped_column(Json, default=dict)
    evaluation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    state: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    # After a failure, not before this time (back-off); None: as soon as a worker is free.
    next_attempt_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    processed_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[Optional[str]] = mapped_column(Text)

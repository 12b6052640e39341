"""Bookkeeping of register imports: Idempotency-Key replies and the per-evaluation change counter."""
from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow


class ImportKey(db.Model):
    """An `Idempotency-Key` the archive system sent, the hash of that request and the reply we gave."""

    __tablename__ = "import_key"
    __table_args__ = (UniqueConstraint("evaluation_id", "key"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(200))
    request_sha256: Mapped[str] = mapped_column(String(64))
    status: Mapped[int] = mapped_column(default=200)
    response: Mapped[dict] = mapped_column(Json, default=dict)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class HouseholdCounter(db.Model):
    """The last `change_seq` handed out in an evaluation. Writers lock this row until they commit,
    so sequence numbers become visible in order and the changes feed never skips one."""

    __tablename__ = "household_counter"
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"),
                                               primary_key=True, autoincrement=False)
    last_seq: Mapped[int] = mapped_column(BigId, default=0)

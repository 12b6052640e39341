"""The evidence chain: per evaluation, one hash-linked entry per accepted submission (each edit is a new
submission row), supervisors' review decisions and classification verdicts. Entries are appended by the
worker's chain sweep (server/evidence/), never on the request path; `seq` numbers an evaluation's entries
from 1 and a kind's source row is chained at most once, so two sweeps can never fork the chain."""
from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow

CHAIN_KINDS = ("submission", "review", "classification")


class ChainEntry(db.Model):
    __tablename__ = "chain_entry"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "seq"),
        UniqueConstraint("evaluation_id", "kind", "source_id"),
        Index("ix_chain_entry_chained_at", "evaluation_id", "chained_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    seq: Mapped[int] = mapped_column(BigId)
    kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(BigId)           # the row it covers, of the kind's table
    at: Mapped[object] = mapped_column(UTCDateTime)         # when the covered thing happened
    actor: Mapped[str] = mapped_column(String(120))
    covers: Mapped[dict] = mapped_column(Json)              # the covered row's canonical content
    content_sha256: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    chained_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

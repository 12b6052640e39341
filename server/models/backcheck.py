"""Back-checks: seeded draws of interviews to re-interview, and each drawn interview's back-check."""
from typing import Optional

from sqlalchemy import Float, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow


class BackcheckDraw(db.Model):
    """One reproducible draw: the share and the seed that produced it."""

    __tablename__ = "backcheck_draw"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    seed: Mapped[str] = mapped_column(String(64))
    share: Mapped[float] = mapped_column(Float)
    actor: Mapped[str] = mapped_column(String(120), default="")
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class BackcheckTarget(db.Model):
    """A drawn interview, the back-checker assigned to re-interview its household, and the comparison."""

    __tablename__ = "backcheck_target"
    __table_args__ = (UniqueConstraint("evaluation_id", "original_root_id"),
                      Index("ix_backcheck_target_checker", "backchecker_id", "household_id"))
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    draw_id: Mapped[int] = mapped_column(ForeignKey("backcheck_draw.id", ondelete="CASCADE"), index=True)
    original_submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    original_root_id: Mapped[str] = mapped_column(String(200))
    enumerator_id: Mapped[int] = mapped_column(ForeignKey("enumerator.id", ondelete="CASCADE"))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    backchecker_id: Mapped[int] = mapped_column(ForeignKey("enumerator.id", ondelete="CASCADE"))
    assignment_id: Mapped[Optional[int]] = mapped_column(ForeignKey("assignment.id", ondelete="SET NULL"))
    backcheck_submission_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("submission.id", ondelete="SET NULL"))
    # [{key, type, original, backcheck, verdict same|differs|missing}] once the back-check arrived.
    comparison: Mapped[Optional[list]] = mapped_column(Json)
    compared_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)

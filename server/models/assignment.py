"""Assignments: which enumerator visits which household (or screens which village)."""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.infra.extensions import db
from server.models.enumerator import Enumerator
from server.models.household import Household
from server.models.types import BigId, UTCDateTime, utcnow


class Assignment(db.Model):
    __tablename__ = "assignment"
    __table_args__ = (
        # A sample's coverage and its units' holders look assignments up by unit and by village.
        Index("ix_assignment_sample_unit", "sample_unit_id"),
        Index("ix_assignment_village", "evaluation_id", "village_code"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    enumerator_id: Mapped[int] = mapped_column(ForeignKey("enumerator.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[Optional[int]] = mapped_column(ForeignKey("household.id"), index=True)
    # A village-level assignment (漏评 screening) names the village instead of a household.
    village_code: Mapped[Optional[str]] = mapped_column(String(12))
    sample_unit_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sample_unit.id"))
    # Set when an admin overrode the recusal refusal; the same text is in the audit log.
    override_justification: Mapped[Optional[str]] = mapped_column(Text)
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    enumerator: Mapped[Enumerator] = relationship()
    household: Mapped[Optional[Household]] = relationship()

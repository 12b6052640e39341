"""The outcome of the recusal and quality rules: check runs with their findings, the facts the
cross-interview rules compare, and supervisors' review decisions.

Every run is kept (history across re-checks); exactly one run per submission is `current`.
"""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow


class CheckRun(db.Model):
    """One run of the rules over one submission."""

    __tablename__ = "check_run"
    __table_args__ = (Index("ix_check_run_submission", "submission_id", "current"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    current: Mapped[bool] = mapped_column(default=True)
    trigger: Mapped[str] = mapped_column(String(64), default="")
    # Equal hashes mean the same settings produced the same findings: a re-run adds nothing.
    inputs_sha256: Mapped[str] = mapped_column(String(64))
    settings: Mapped[dict] = mapped_column(Json, default=dict)
    status: Mapped[str] = mapped_column(String(16))
    household_id: Mapped[Optional[int]] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    run_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    findings: Mapped[list["RuleFinding"]] = relationship(back_populates="run", order_by="RuleFinding.code")


class RuleFinding(db.Model):
    """What one rule concluded in one run: found (with evidence) or could_not_run (with the reason)."""

    __tablename__ = "rule_finding"
    __table_args__ = (Index("ix_rule_finding_code", "evaluation_id", "code", "outcome"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    check_run_id: Mapped[int] = mapped_column(ForeignKey("check_run.id", ondelete="CASCADE"), index=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    current: Mapped[bool] = mapped_column(default=True)
    code: Mapped[str] = mapped_column(String(16))
    rule_version: Mapped[int] = mapped_column(default=1)
    severity: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    title_zh: Mapped[str] = mapped_column(String(200), default="")
    title_en: Mapped[str] = mapped_column(String(200), default="")
    message_zh: Mapped[str] = mapped_column(Text, default="")
    message_en: Mapped[str] = mapped_column(Text, default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[dict] = mapped_column(Json, default=dict)
    parameters: Mapped[dict] = mapped_column(Json, default=dict)
    run: Mapped[CheckRun] = relationship(back_populates="findings")


class InterviewFact(db.Model):
    """Per current submission, what other interviews' rules compare with (one row, rewritten per run)."""

    __tablename__ = "interview_fact"
    __table_args__ = (
        Index("ix_interview_fact_day", "enumerator_id", "day"),
        Index("ix_interview_fact_household", "evaluation_id", "household_id"),
        Index("ix_interview_fact_vector", "evaluation_id", "vector_sha256"),
    )
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"),
                                               primary_key=True, autoincrement=False)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    enumerator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("enumerator.id", ondelete="SET NULL"))
    household_id: Mapped[Optional[int]] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    instance_id: Mapped[str] = mapped_column(String(200))
    day: Mapped[Optional[str]] = mapped_column(String(10))  # China date of the start
    started_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    ended_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    latitude: Mapped[Optional[float]]
    longitude: Mapped[Optional[float]]
    vector_sha256: Mapped[Optional[str]] = mapped_column(String(64))
    straight: Mapped[Optional[bool]]


class ReviewDecision(db.Model):
    """A supervisor's decision on an interview's findings: clear it, or confirm its exclusion."""

    __tablename__ = "review_decision"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    check_run_id: Mapped[Optional[int]] = mapped_column(ForeignKey("check_run.id", ondelete="SET NULL"))
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    # The finding codes the decision was made on; a new one lifts the decision.
    codes: Mapped[list] = mapped_column(Json, default=list)
    actor: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

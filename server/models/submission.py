"""Submissions (one per instanceID) and their attachments.

An edit from Collect (`deprecatedID`) is a new row whose `root_instance_id` names the interview it
revises; only the newest row of an interview is `current`.
"""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow

PROCESSING_STATES = ("pending", "processed", "failed")
REVIEW_STATES = ("clean", "review", "excluded", "cleared")


class Submission(db.Model):
    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "instance_id"),
        Index("ix_submission_interview", "evaluation_id", "root_instance_id"),
        Index("ix_submission_enumerator_day", "enumerator_id", "received_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    form_version_id: Mapped[int] = mapped_column(ForeignKey("form_version.id"), index=True)
    enumerator_id: Mapped[Optional[int]] = mapped_column(ForeignKey("enumerator.id"))
    instance_id: Mapped[str] = mapped_column(String(200))
    root_instance_id: Mapped[str] = mapped_column(String(200))
    deprecated_id: Mapped[Optional[str]] = mapped_column(String(200))
    current: Mapped[bool] = mapped_column(default=True)
    instance_name: Mapped[Optional[str]] = mapped_column(String(300))
    xml: Mapped[str] = mapped_column(Text)
    xml_sha256: Mapped[str] = mapped_column(String(64))
    encrypted: Mapped[bool] = mapped_column(default=False)
    device_id: Mapped[Optional[str]] = mapped_column(String(200))
    user_agent: Mapped[Optional[str]] = mapped_column(String(300))
    received_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    # Filled by the worker: the parsed answers, then the outcome of the checks.
    answers: Mapped[Optional[dict]] = mapped_column(Json)
    processing: Mapped[str] = mapped_column(String(16), default="pending")
    processed_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    # How many times the pipeline has run to completion on it: 1 per event, so a crash never double-counts.
    pipeline_runs: Mapped[int] = mapped_column(default=0)
    review_status: Mapped[Optional[str]] = mapped_column(String(16))
    attachments: Mapped[list["Attachment"]] = relationship(back_populates="submission",
                                                           order_by="Attachment.name")


class Attachment(db.Model):
    """A file sent with a submission, streamed to the media store and hashed on the way."""

    __tablename__ = "attachment"
    __table_args__ = (UniqueConstraint("submission_id", "name"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100), default="application/octet-stream")
    size: Mapped[int] = mapped_column(BigId, default=0)
    sha256: Mapped[str] = mapped_column(String(64))
    path: Mapped[str] = mapped_column(String(500))
    received_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    submission: Mapped[Submission] = relationship(back_populates="attachments")

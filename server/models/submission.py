"""Submissions (one per instanceID) and their attachments.

An edit from Collect (`deprecatedID`) is a new row whose `root_instance_id` names the interview it
revises; only the newest row of an interview is `current`.
"""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow

PROCESSING_STATES = ("pending", "processed", "failed")
REVIEW_STATES = ("clean", "review", "excluded", "cleared")


class Submission(db.Model):
    __tablename__ = "submission"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "instance_id"),
        Index("ix_submission_interview", "evaluation_id", "root_instance_id"),
        Index("ix_submission_enumerator_day", "enumerator_id", "received_at"),
        # The dashboard's interview table: newest first, paged by keyset (received_at, id).
        Index("ix_submission_received", "evaluation_id", "current", "received_at", "id"),
        # ... filtered by status (what waits for review is a few percent of the rows), and counted so.
        Index("ix_submission_status", "evaluation_id", "current", "review_status", "received_at", "id"),
        # The archive feed reads in mark order (server/submissions/feed_marks.py).
        Index("ix_submission_feed", "evaluation_id", "feed_mark", "id"),
        # ... most findings first (the status in the index: a status filter needs no row)
        Index("ix_submission_findings", "evaluation_id", "current", "finding_count", "id",
              postgresql_include=["review_status"]),
        # ... filtered by interview day (a range of days is sorted from the index alone) or by place.
        Index("ix_submission_day", "evaluation_id", "current", "interview_day", "received_at", "id"),
        Index("ix_submission_county", "evaluation_id", "current", "county_code", "received_at", "id"),
        Index("ix_submission_township", "evaluation_id", "current", "township_code", "received_at", "id"),
        Index("ix_submission_village", "evaluation_id", "current", "village_code", "received_at", "id"),
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
    # Why processing failed for good ({"code", "message", "details"}), shown with the interview.
    processing_problem: Mapped[Optional[dict]] = mapped_column(Json)
    processed_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    # How many times the pipeline has run to completion on it: 1 per event, so a crash never double-counts.
    pipeline_runs: Mapped[int] = mapped_column(default=0)
    review_status: Mapped[Optional[str]] = mapped_column(String(16))
    # Set with review_status by the rules step, for the interview table's indexes (a filter on another
    # table would read a row there per interview walked): the findings (outcome found) of its current
    # check run, its interview_fact's day, and the place codes of the household its fact names (moved
    # with the household by a register import: households/batch_sql.py).
    finding_count: Mapped[int] = mapped_column(default=0, server_default="0")
    interview_day: Mapped[Optional[str]] = mapped_column(String(10))
    county_code: Mapped[Optional[str]] = mapped_column(String(12))
    township_code: Mapped[Optional[str]] = mapped_column(String(12))
    village_code: Mapped[Optional[str]] = mapped_column(String(12))
    # What the last `submission.received` run read (XML, files, completeness), hashed: an event that
    # finds the same is a duplicate, acknowledged without running again (worker/batch.py).
    processed_inputs_sha256: Mapped[Optional[str]] = mapped_column(String(64))
    # Its place in the archive feed, moved on by every change the feed shows; null until first checked.
    feed_mark: Mapped[Optional[int]] = mapped_column(BigId)
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

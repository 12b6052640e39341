"""Reconciliation results per submission, supervisors' verdicts on classifications, and the figures'
incremental state: one contribution row per interview and one aggregate row per village.

The counter columns (server/models/counters.py) are the same on both: an aggregate is the sum of the
contributions that count, kept by delta in the transaction that changes a contribution.
"""
from typing import Optional

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.counters import AREA_COUNTERS, CONTRIBUTION_COUNTERS
from server.models.types import BigId, Json, UTCDateTime, utcnow


def _counter_columns(names):
    return {name: mapped_column(Integer, nullable=False, default=0, server_default="0") for name in names}


class Reconciliation(db.Model):
    """One submission against its household's record: the comparisons and the classification."""

    __tablename__ = "reconciliation"
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"),
                                               primary_key=True, autoincrement=False)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[Optional[int]] = mapped_column(ForeignKey("household.id", ondelete="SET NULL"))
    household_type: Mapped[Optional[str]] = mapped_column(String(16))
    comparisons: Mapped[list] = mapped_column(Json, default=list)
    classification: Mapped[dict] = mapped_column(Json, default=dict)
    settings_sha256: Mapped[str] = mapped_column(String(64), default="")
    reconciled_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class ClassificationReview(db.Model):
    """A supervisor confirms or rejects one suspected flag (错评 / 漏评 / 错退) of an interview; the latest
    per flag wins. Kept forever (and audited)."""

    __tablename__ = "classification_review"
    __table_args__ = (Index("ix_classification_review_submission", "submission_id", "flag"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    submission_id: Mapped[int] = mapped_column(ForeignKey("submission.id", ondelete="CASCADE"))
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    flag: Mapped[str] = mapped_column(String(32))
    decision: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    decided_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


FigureContribution = type("FigureContribution", (db.Model,), {
    "__doc__": "What one interview (its current submission) adds to its village's figures when it counts.",
    "__tablename__": "figure_contribution",
    "__table_args__": (UniqueConstraint("evaluation_id", "root_instance_id"),
                       Index("ix_figure_contribution_area", "evaluation_id", "village_code", "id"),
                       Index("ix_figure_contribution_county", "evaluation_id", "county_code", "id"),
                       Index("ix_figure_contribution_household", "evaluation_id", "household_id")),
    "id": mapped_column(BigId, primary_key=True),
    "evaluation_id": mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), nullable=False),
    "root_instance_id": mapped_column(String(200), nullable=False),
    "submission_id": mapped_column(ForeignKey("submission.id", ondelete="CASCADE"), nullable=False,
                                   index=True),
    "county_code": mapped_column(String(12), nullable=False, default=""),
    "township_code": mapped_column(String(12), nullable=False, default=""),
    "village_code": mapped_column(String(12), nullable=False, default=""),
    # Whether the interview's status lets it in (settings count_statuses); the counters are kept either way.
    "counts": mapped_column(db.Boolean, nullable=False, default=False),
    # Its review status ("superseded" for an older version of an edited interview): why it is left out.
    "status": mapped_column(String(16), nullable=False, default="", server_default=""),
    # One household, one count: the household it is about, when the visit started (ISO, UTC), and the
    # root instance of the interview that counts for the household instead of this one.
    "household_id": mapped_column(ForeignKey("household.id", ondelete="SET NULL")),
    "started_at": mapped_column(String(40)),
    "duplicate_of": mapped_column(String(200)),
    "updated_at": mapped_column(UTCDateTime, nullable=False, default=utcnow, onupdate=utcnow),
    **_counter_columns(CONTRIBUTION_COUNTERS),
})


FigureArea = type("FigureArea", (db.Model,), {
    "__doc__": "The summed counters of one village's counting interviews (township, county and evaluation "
               "figures sum these rows).",
    "__tablename__": "figure_area",
    "__table_args__": (Index("ix_figure_area_county", "evaluation_id", "county_code", "township_code"),),
    "evaluation_id": mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), primary_key=True,
                                   autoincrement=False),
    "village_code": mapped_column(String(12), primary_key=True),
    "county_code": mapped_column(String(12), nullable=False, default=""),
    "township_code": mapped_column(String(12), nullable=False, default=""),
    "county": mapped_column(String(100), nullable=False, default=""),
    "township": mapped_column(String(100), nullable=False, default=""),
    "village": mapped_column(String(100), nullable=False, default=""),
    **_counter_columns(AREA_COUNTERS),
})


class HouseholdLink(db.Model):
    """A supervisor says which registered household an interview is about, when its card did not say
    (unknown, unreadable or missing): the rules and the figures then read that household. The latest
    link of an interview (root instanceID) wins; every link is audited."""

    __tablename__ = "household_link"
    __table_args__ = (UniqueConstraint("evaluation_id", "root_instance_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    root_instance_id: Mapped[str] = mapped_column(String(200))
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(120))
    linked_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)

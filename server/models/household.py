"""The household register: one archive record per household, its QR tokens, samples."""
from typing import Optional

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow

STATUSES = ("not_exited", "exited", "returned")


class Household(db.Model):
    """An archive record. The full validated record is `record`; the columns are what we filter on."""

    __tablename__ = "household"
    __table_args__ = (
        UniqueConstraint("evaluation_id", "archive_id"),
        Index("ix_household_place", "evaluation_id", "county_code", "township_code", "village_code"),
        Index("ix_household_changes", "evaluation_id", "change_seq"),
        # On PostgreSQL also ix_household_head_bigrams on fc_bigrams(head_name), an expression index made
        # by migration 0012 only (server/households/name_search.py, infra/database.MIGRATION_ONLY_INDEXES).
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    archive_id: Mapped[str] = mapped_column(String(64))
    province: Mapped[str] = mapped_column(String(100), default="")
    county: Mapped[str] = mapped_column(String(100), default="")
    township: Mapped[str] = mapped_column(String(100), default="")
    village: Mapped[str] = mapped_column(String(100), default="")
    county_code: Mapped[str] = mapped_column(String(12), default="")
    township_code: Mapped[str] = mapped_column(String(12), default="")
    village_code: Mapped[str] = mapped_column(String(12), default="")
    head_name: Mapped[str] = mapped_column(String(100), default="")
    member_count: Mapped[int] = mapped_column(default=0)
    status: Mapped[str] = mapped_column(String(16), default="not_exited")
    registration_year: Mapped[Optional[int]]
    exit_year: Mapped[Optional[int]]
    latitude: Mapped[Optional[float]]
    longitude: Mapped[Optional[float]]
    # The whole record as validated (ID numbers encrypted and masked inside it). Plain JSON, not JSONB,
    # on PostgreSQL: it is stored and read whole, never queried inside, and JSONB's conversion was
    # half of the database's work in a register import.
    record: Mapped[dict] = mapped_column(JSON, default=dict)
    # A keyed hash (HMAC with DATA_KEY) of the record including the clear ID numbers: equal means unchanged.
    record_sha256: Mapped[str] = mapped_column(String(64), default="")
    # The members' ID numbers as one encrypted JSON list (secrets_box), in member order.
    id_numbers_encrypted: Mapped[Optional[str]] = mapped_column(Text)
    version: Mapped[int] = mapped_column(default=1)
    # Monotonic per evaluation; the changes feed pages on it.
    change_seq: Mapped[int] = mapped_column(BigId, default=0)
    withdrawn_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    tokens: Mapped[list["HouseholdToken"]] = relationship(back_populates="household")


class HouseholdToken(db.Model):
    """The opaque token on a household's QR card (明白卡). Revoked tokens are kept to recognise them."""

    __tablename__ = "household_token"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    household_id: Mapped[int] = mapped_column(ForeignKey("household.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    household: Mapped[Household] = relationship(back_populates="tokens")


class Sample(db.Model):
    """A reproducible draw from the register: the design and the seed that produced it."""

    __tablename__ = "sample"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    seed: Mapped[str] = mapped_column(String(64))
    design: Mapped[dict] = mapped_column(Json, default=dict)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class SampleUnit(db.Model):
    """A drawn household (or a screening village), with its stratum and any substitution."""

    __tablename__ = "sample_unit"
    __table_args__ = (UniqueConstraint("sample_id", "household_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    sample_id: Mapped[int] = mapped_column(ForeignKey("sample.id", ondelete="CASCADE"), index=True)
    household_id: Mapped[Optional[int]] = mapped_column(ForeignKey("household.id"))
    village_code: Mapped[Optional[str]] = mapped_column(String(12))
    stratum: Mapped[str] = mapped_column(String(100), default="")
    rank: Mapped[int] = mapped_column(default=0)
    substitute_for_id: Mapped[Optional[int]] = mapped_column(ForeignKey("sample_unit.id"))
    substitute_reason: Mapped[Optional[str]] = mapped_column(String(500))
    # Why a drawn household was not interviewed ("absent", "refused", ...); its substitute points here.
    outcome: Mapped[Optional[str]] = mapped_column(String(32))

"""Enumerators: the people with ODK Collect, and where they come from (for the recusal rules)."""
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.infra.extensions import db
from server.models.evaluation import Evaluation
from server.models.types import UTCDateTime, utcnow


class Enumerator(db.Model):
    __tablename__ = "enumerator"
    __table_args__ = (UniqueConstraint("evaluation_id", "username"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(80))
    display_name: Mapped[str] = mapped_column(String(200), default="")
    # Home locality, by name and (when known) by administrative code.
    province: Mapped[str] = mapped_column(String(100), default="")
    county: Mapped[str] = mapped_column(String(100), default="")
    township: Mapped[str] = mapped_column(String(100), default="")
    village: Mapped[str] = mapped_column(String(100), default="")
    county_code: Mapped[Optional[str]] = mapped_column(String(12))
    township_code: Mapped[Optional[str]] = mapped_column(String(12))
    village_code: Mapped[Optional[str]] = mapped_column(String(12))
    team: Mapped[Optional[str]] = mapped_column(String(80))
    # Compared with the household's registered helpers' phones (REC-03: a helper may not evaluate).
    phone: Mapped[Optional[str]] = mapped_column(String(32))
    active: Mapped[bool] = mapped_column(default=True)
    # Digest auth keeps HA1 = md5(username:realm:password), never the password; HA1 answers any
    # challenge (a password equivalent), so it is kept encrypted (server.infra.secrets_box).
    digest_ha1_encrypted: Mapped[Optional[str]] = mapped_column(String(200))
    # The Collect URL token: looked up by hash, kept encrypted so the settings QR can be shown again.
    token_hash: Mapped[Optional[str]] = mapped_column(String(64), unique=True)
    token_encrypted: Mapped[Optional[str]] = mapped_column(String(512))
    token_created_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    evaluation: Mapped[Evaluation] = relationship()

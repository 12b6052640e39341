"""API bearer tokens (for the archive system) and records of long-running jobs."""
from typing import Optional

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.types import Json, UTCDateTime, utcnow

TOKEN_SCOPES = ("import", "read")


class ApiToken(db.Model):
    """A bearer token scoped to one evaluation; only its sha256 is stored."""

    __tablename__ = "api_token"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    scope: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # shown in lists so people can tell tokens apart
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    revoked_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)


class JobRecord(db.Model):
    """A long job (form conversion, import, export) whose progress and result people can read."""

    __tablename__ = "job_record"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    evaluation_id: Mapped[Optional[int]] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"),
                                                         index=True)
    kind: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default="queued")  # queued, running, done, failed
    progress: Mapped[int] = mapped_column(default=0)                  # percent
    message: Mapped[str] = mapped_column(String(500), default="")
    params: Mapped[dict] = mapped_column(Json, default=dict)
    result: Mapped[Optional[dict]] = mapped_column(Json)
    error: Mapped[Optional[str]] = mapped_column(Text)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

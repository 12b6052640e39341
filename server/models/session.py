"""Server-side records of signed-in sessions, so a session can be ended before its cookie is gone."""
from typing import Optional

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.types import UTCDateTime, utcnow


class UserSession(db.Model):
    """One sign-in. The cookie carries a random key; only its sha256 is kept here."""

    __tablename__ = "user_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    started_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)

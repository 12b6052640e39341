"""Evaluations (the unit of access control), web users and their roles per evaluation."""
from typing import Optional

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.infra.extensions import db
from server.models.types import Json, UTCDateTime, utcnow

ROLES = ("admin", "supervisor", "viewer")


class Evaluation(db.Model):
    """One evaluation campaign, e.g. the 2020 exit inspection of one county group."""

    __tablename__ = "evaluation"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Rule switches and thresholds, recusal level, poverty lines, blind mode, ...
    settings: Mapped[dict] = mapped_column(Json, default=dict)
    default_language: Mapped[str] = mapped_column(String(8), default="zh")
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class User(db.Model):
    """A person who signs in to the dashboard or the API (not an enumerator)."""

    __tablename__ = "user_account"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    # A site admin may do anything anywhere; everyone else acts through memberships.
    is_site_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    locale: Mapped[Optional[str]] = mapped_column(String(8))
    # Sign-in lockout (server/accounts/users.py): failures in a row, and until when sign-in is refused.
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[Optional[object]] = mapped_column(UTCDateTime)
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    memberships: Mapped[list["Membership"]] = relationship(back_populates="user")


class Membership(db.Model):
    """A user's role in one evaluation: admin, supervisor or viewer."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "evaluation_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    user: Mapped[User] = relationship(back_populates="memberships")
    evaluation: Mapped[Evaluation] = relationship()

"""Webhooks: an evaluation's subscriptions (a receiver's URL, the events it wants, its signing secret
sealed with the data key) and the deliveries owed to each, snapshotted when the event happened and sent
in order by the worker (server/feed/webhooks.py)."""
from typing import Optional

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from server.infra.extensions import db
from server.models.types import BigId, Json, UTCDateTime, utcnow

DELIVERY_STATES = ("pending", "delivered")


class WebhookSubscription(db.Model):
    __tablename__ = "webhook_subscription"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list] = mapped_column(Json, default=list)
    secret_sealed: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(default=True)
    # Failed attempts in a row (a success resets it); at the limit the subscription is disabled, its
    # deliveries kept for when it is enabled again.
    consecutive_failures: Mapped[int] = mapped_column(default=0)
    retry_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)   # no attempt before this (back-off)
    disabled_reason: Mapped[Optional[str]] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)


class WebhookDelivery(db.Model):
    __tablename__ = "webhook_delivery"
    __table_args__ = (Index("ix_webhook_delivery_due", "subscription_id", "state", "id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(ForeignKey("webhook_subscription.id", ondelete="CASCADE"))
    evaluation_id: Mapped[int] = mapped_column(ForeignKey("evaluation.id", ondelete="CASCADE"))
    uuid: Mapped[str] = mapped_column(String(36), unique=True)   # the receiver's key to drop a repeat
    event: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(Json)                   # as it was when the event happened
    state: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(default=0)
    last_status: Mapped[Optional[int]] = mapped_column()
    last_error: Mapped[Optional[str]] = mapped_column(Text)
    log: Mapped[list] = mapped_column(Json, default=list)        # [{at, status, error, ms}], newest last
    created_at: Mapped[object] = mapped_column(UTCDateTime, default=utcnow)
    delivered_at: Mapped[Optional[object]] = mapped_column(UTCDateTime)

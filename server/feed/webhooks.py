"""Webhooks: the archive system is told when an interview is checked or reviewed, instead of polling.

A subscription names a receiver's URL and the events it wants. When an event happens, a delivery is
added in the same transaction with the interview as the feed gives it at that moment (a snapshot), so
nothing is lost whatever fails after the commit. The worker sends a subscription's deliveries oldest first,
signed with HMAC-SHA256 over the timestamp and the body; a failure (5xx, timeout, connection error,
redirect, 4xx) stops the round for that subscription and backs it off exponentially; after
WEBHOOK_MAX_FAILURES failures in a row it is disabled with the reason, its deliveries kept until it is
enabled again. Ingest never waits for any of this.

Verifying on the receiver (docs in the README): header `X-Fieldcheck-Signature: t=<unix>,v1=<hex>` where
hex = HMAC-SHA256(secret, f"{t}." + raw body); refuse a `t` older than five minutes and a repeated
`X-Fieldcheck-Delivery` id.
"""
import hashlib
import hmac
import time
import uuid
from datetime import timedelta
from urllib.parse import urlsplit

import orjson
import requests
from flask import current_app
from sqlalchemy import select

from server.accounts import audit
from server.feed import changes
from server.infra import secrets_box
from server.infra.errors import Problem, not_found
from server.infra.i18n import msg
from server.infra.extensions import db, rq
from server.models import Evaluation, OutboxEvent, WebhookDelivery, WebhookSubscription
from server.models.types import utcnow
from server.pipeline import outbox

EVENTS = {
    "interview.checked": ("访谈检查完成（含重新检查）", "an interview was checked (or checked again)"),
    "interview.reviewed": ("督导对访谈作出审核决定", "a supervisor decided on an interview"),
    "classification.reviewed": ("督导对分类标记作出裁定", "a supervisor ruled on a classification flag"),
}
DELIVER_EVENT = "webhook.deliver"
ROUND = 50                    # deliveries sent per subscription per round
RESPONSE_LIMIT = 64 * 1024    # bytes of a receiver's answer read (kept: its first 500 characters)
TIMEOUT = (5, 10)             # seconds to connect, and between bytes of the answer
DEADLINE = 20                 # seconds for a whole attempt, however slowly the answer trickles
LOG_KEPT = 20


def subscribe(evaluation, url, events, actor):
    """A new subscription; returns (row, secret). The secret is shown once. Raises Problem webhook.*."""
    url, events = _checked_url(url), _checked_events(events)
    secret = secrets_box.new_token(32)
    row = WebhookSubscription(evaluation_id=evaluation.id, url=url, events=events, created_by=actor,
                              secret_sealed=secrets_box.encrypt(secret))
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "webhook.subscribe", f"webhook:{row.id}", {"url": loggable(url), "events": events},
                 evaluation.id)
    return row, secret


def subscriptions(evaluation):
    return db.session.execute(select(WebhookSubscription).where(
        WebhookSubscription.evaluation_id == evaluation.id).order_by(WebhookSubscription.id)).scalars().all()


def find(evaluation, subscription_id):
    row = db.session.get(WebhookSubscription, subscription_id)
    if row is None or row.evaluation_id != evaluation.id:
        raise not_found("webhook", subscription_id)
    return row


def remove(evaluation, subscription_id, actor):
    row = find(evaluation, subscription_id)
    db.session.delete(row)
    audit.record(actor, "webhook.remove", f"webhook:{row.id}", {"url": loggable(row.url)}, evaluation.id)


def enable(evaluation, subscription_id, actor):
    """Enable a disabled subscription: its kept deliveries go out again, from the oldest."""
    row = find(evaluation, subscription_id)
    row.active, row.consecutive_failures, row.retry_at, row.disabled_reason = True, 0, None, None
    audit.record(actor, "webhook.enable", f"webhook:{row.id}", {}, evaluation.id)
    _ask_for_delivery(evaluation.id)
    return row


def redeliver(evaluation, subscription_id, delivery_id, actor):
    """Send a delivery again (a delivered one too: the receiver asked for it), as soon as possible."""
    subscription = find(evaluation, subscription_id)
    row = db.session.get(WebhookDelivery, delivery_id)
    if row is None or row.subscription_id != subscription.id:
        raise not_found("delivery", delivery_id)
    row.state, row.delivered_at = "pending", None
    subscription.retry_at = None
    audit.record(actor, "webhook.redeliver", f"webhook:{subscription.id}", {"delivery": row.uuid},
                 evaluation.id)
    _ask_for_delivery(evaluation.id)
    return row


def deliveries(subscription, limit=100):
    return db.session.execute(select(WebhookDelivery)
                              .where(WebhookDelivery.subscription_id == subscription.id)
                              .order_by(WebhookDelivery.id.desc()).limit(limit)).scalars().all()


def emit(evaluation_id, event, submission_ids):
    """Owe every subscription of the evaluation that wants `event` one delivery per submission, with the
    interview as it is now (call inside the transaction that made the change). Cheap without subscribers."""
    wanting = [s for s in db.session.execute(select(WebhookSubscription).where(
        WebhookSubscription.evaluation_id == evaluation_id)).scalars() if event in s.events]
    if not wanting or not submission_ids:
        return 0
    evaluation = db.session.get(Evaluation, evaluation_id)
    now = utcnow()
    items = orjson.loads(orjson.dumps(changes.interviews(evaluation_id, submission_ids)))  # plain JSON
    for subscription in wanting:
        for item in items:
            key = str(uuid.uuid4())
            db.session.add(WebhookDelivery(
                subscription_id=subscription.id, evaluation_id=evaluation_id, uuid=key, event=event,
                payload={"id": key, "event": event, "evaluation": evaluation.code,
                         "occurred_at": now.isoformat(), "interview": item}))
    _ask_for_delivery(evaluation_id)
    return len(wanting) * len(items)


def deliver_round(evaluation_id, commit, now=None):
    """One round: each active subscription of the evaluation not backing off sends its pending deliveries
    oldest first until one fails, committing after each (a slow receiver never holds a transaction open).
    Returns (delivered, failed). Another round is asked for when a subscription had more than a round."""
    delivered = failed = 0
    for subscription_id in _due(evaluation_id, now or utcnow()):
        lock = rq.connection.lock(f"fieldcheck:webhook:{subscription_id}", timeout=DEADLINE * ROUND * 2,
                                  blocking=False)
        if not lock.acquire():
            continue  # another worker is sending this subscription's deliveries
        try:
            sent, ok = _round(subscription_id, commit, now)
        finally:
            lock.release()
        delivered, failed = delivered + sent, failed + (0 if ok else 1)
    return delivered, failed


def _due(evaluation_id, now):
    return db.session.execute(select(WebhookSubscription.id).where(
        WebhookSubscription.evaluation_id == evaluation_id, WebhookSubscription.active.is_(True),
        (WebhookSubscription.retry_at.is_(None)) | (WebhookSubscription.retry_at <= now))).scalars().all()


def request_due(now=None):
    """Ask for a delivery round in every evaluation with an active subscription owed something whose
    back-off has passed (the relay calls this, so retries happen without a new event)."""
    now = now or utcnow()
    due = db.session.execute(select(WebhookSubscription.evaluation_id).distinct().where(
        WebhookSubscription.active.is_(True),
        (WebhookSubscription.retry_at.is_(None)) | (WebhookSubscription.retry_at <= now),
        select(WebhookDelivery.id).where(WebhookDelivery.subscription_id == WebhookSubscription.id,
                                         WebhookDelivery.state == "pending").exists())).scalars().all()
    for evaluation_id in due:
        _ask_for_delivery(evaluation_id)
    return len(due)


def _round(subscription_id, commit, now):
    sent = 0
    for _ in range(ROUND):
        subscription = db.session.get(WebhookSubscription, subscription_id)
        delivery = db.session.execute(select(WebhookDelivery).where(
            WebhookDelivery.subscription_id == subscription_id, WebhookDelivery.state == "pending")
            .order_by(WebhookDelivery.id).limit(1)).scalar()
        if delivery is None:
            return sent, True
        status, error, ms = _post(subscription.url, secrets_box.decrypt(subscription.secret_sealed), delivery)
        _note(delivery, status, error, ms)
        if error is not None:
            _failed(subscription, error, now or utcnow())
            commit()
            return sent, False
        subscription.consecutive_failures, subscription.retry_at = 0, None
        commit()
        sent += 1
    _ask_for_delivery(subscription.evaluation_id)  # more than a round was owed: continue in the next
    commit()
    return sent, True


def _note(delivery, status, error, ms):
    delivery.attempts += 1
    delivery.last_status, delivery.last_error = status, error
    delivery.log = (delivery.log or [])[-(LOG_KEPT - 1):] + [
        {"at": utcnow().isoformat(), "status": status, "error": error, "ms": ms}]
    if error is None:
        delivery.state, delivery.delivered_at = "delivered", utcnow()


def _failed(subscription, error, now):
    subscription.consecutive_failures += 1
    limit = current_app.config["WEBHOOK_MAX_FAILURES"]
    if subscription.consecutive_failures >= limit:
        subscription.active = False
        subscription.disabled_reason = (f"{subscription.consecutive_failures} attempts failed in a row; "
                                        f"the last: {error}")
        return
    config = current_app.config
    backoff = min(config["WEBHOOK_BACKOFF_SECONDS"] * 2 ** (subscription.consecutive_failures - 1),
                  config["WEBHOOK_BACKOFF_MAX_SECONDS"])
    subscription.retry_at = now + timedelta(seconds=backoff)


def _post(url, secret, delivery):
    """(status, error or None, ms). Redirects are not followed; the answer is read up to a limit."""
    body = orjson.dumps(delivery.payload)
    stamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), stamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json", "User-Agent": "fieldcheck-webhooks/1",
               "X-Fieldcheck-Event": delivery.event, "X-Fieldcheck-Delivery": delivery.uuid,
               "X-Fieldcheck-Signature": f"t={stamp},v1={signature}"}
    started = time.monotonic()
    try:
        with requests.post(url, data=body, headers=headers, timeout=TIMEOUT, allow_redirects=False,
                           stream=True) as answer:
            _read_some(answer, started)
            status = answer.status_code
    except requests.RequestException as exc:
        return None, f"{exc.__class__.__name__}: {_without_url(str(exc), url)}"[:500], _ms(started)
    except TimeoutError as exc:
        return None, str(exc), _ms(started)
    if 200 <= status < 300:
        return status, None, _ms(started)
    if 300 <= status < 400:
        return status, f"answered {status} (a redirect; not followed)", _ms(started)
    return status, f"answered {status}", _ms(started)


def _read_some(answer, started):
    read = 0
    for block in answer.iter_content(8192):
        read += len(block)
        if read >= RESPONSE_LIMIT:
            return
        if time.monotonic() - started > DEADLINE:
            raise TimeoutError(f"the answer took longer than {DEADLINE} s")


def _ms(started):
    return round((time.monotonic() - started) * 1000)


def _ask_for_delivery(evaluation_id):
    waiting = db.session.execute(select(OutboxEvent.id).where(
        OutboxEvent.state == "pending", OutboxEvent.name == DELIVER_EVENT,
        OutboxEvent.evaluation_id == evaluation_id).limit(1)).first()
    if waiting is None:
        outbox.emit(DELIVER_EVENT, {"evaluation_id": evaluation_id}, evaluation_id)


def _checked_url(url):
    url = (url or "").strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
        raise Problem("webhook.bad_url", msg("A receiver's URL is http:// or https:// with a host name, at "
                                             "most 500 characters."), 422,
                      [{"field": "url", "message": "not an http(s) URL"}])
    if parts.username or parts.password:
        raise Problem("webhook.bad_url", msg("Put no user name or password in the URL: every delivery is "
                                             "signed with the subscription's secret instead."), 422,
                      [{"field": "url", "message": "credentials in the URL"}])
    return url


def _checked_events(events):
    events = sorted(set(events or ()))
    unknown = [e for e in events if e not in EVENTS]
    if not events or unknown:
        raise Problem("webhook.bad_events", msg("Choose events among %(choices)s.",
                                                choices=", ".join(EVENTS)), 422,
                      [{"field": "events",
                        "message": f"unknown: {', '.join(unknown)}" if unknown else "empty"}])
    return events


def loggable(url):
    """The URL without its query (which may carry a receiver's own key), for logs and the audit trail."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname}{f':{parts.port}' if parts.port else ''}{parts.path}"


def _without_url(text, url):
    return text.replace(url, loggable(url))

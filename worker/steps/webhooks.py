"""The webhooks' step: one delivery round per `webhook.deliver` event (server/feed/webhooks.py). It
commits after each delivery itself, so a slow receiver never keeps a transaction open."""
from server.feed import webhooks
from server.infra.extensions import db


def deliver_webhooks(event):
    webhooks.deliver_round(event.evaluation_id or event.payload["evaluation_id"], db.session.commit)

"""Webhook subscriptions and their delivery log (server/feed/webhooks.py): admins set them up for the
archive system; the secret that signs deliveries is shown once, when the subscription is made."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate

from server.api.auth import current_principal, requires
from server.api.blueprint import bp
from server.api.openapi import documented
from server.api.route_examples import (DELIVERIES_ANSWER, NEW_SUBSCRIPTION_ANSWER, REDELIVERY_ANSWER,
                                       SUBSCRIPTION, SUBSCRIPTIONS_ANSWER, WEBHOOK_EXAMPLE)
from server.feed import webhooks
from server.infra.extensions import db

PREFIX = "/evaluations/<code>/webhooks"


class SubscriptionRequestSchema(Schema):
    url = fields.String(required=True, validate=validate.Length(1, 500),
                        metadata={"example": "https://archive.example.cn/fieldcheck/hooks"})
    events = fields.List(fields.String(validate=validate.OneOf(list(webhooks.EVENTS))), required=True,
                         metadata={"example": ["interview.checked", "interview.reviewed"]})


class SubscriptionSchema(Schema):
    id = fields.Integer()
    url = fields.String()
    events = fields.List(fields.String())
    active = fields.Boolean()
    consecutive_failures = fields.Integer()
    retry_at = fields.DateTime(allow_none=True, metadata={"description": "no attempt before (back-off)"})
    disabled_reason = fields.String(allow_none=True)
    created_by = fields.String()
    created_at = fields.DateTime()


class NewSubscriptionSchema(SubscriptionSchema):
    secret = fields.String(metadata={"description": "signs every delivery; shown only now"})


class DeliverySchema(Schema):
    id = fields.Integer()
    uuid = fields.String(metadata={"description": "X-Fieldcheck-Delivery: drop a repeat of it"})
    event = fields.String()
    state = fields.String(metadata={"description": "pending or delivered"})
    attempts = fields.Integer()
    last_status = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    log = fields.List(fields.Dict(), metadata={"description": "attempts {at, status, error, ms}"})
    created_at = fields.DateTime()
    delivered_at = fields.DateTime(allow_none=True)


@bp.get(PREFIX)
@documented("The evaluation's webhook subscriptions", response=SubscriptionSchema(many=True),
            response_example=SUBSCRIPTIONS_ANSWER)
@requires("settings")
def list_webhooks(evaluation):
    return jsonify(SubscriptionSchema(many=True).dump(webhooks.subscriptions(evaluation)))


@bp.post(PREFIX)
@documented("Subscribe a receiver to events; the answer holds the signing secret, shown once",
            request=SubscriptionRequestSchema, response=NewSubscriptionSchema, status=201,
            example=WEBHOOK_EXAMPLE, response_example=NEW_SUBSCRIPTION_ANSWER, description=(
                "Each delivery is a POST of JSON {id, event, evaluation, occurred_at, interview} (the "
                "interview as the changes feed gives it, when the event happened) with X-Fieldcheck-Event, "
                "X-Fieldcheck-Delivery and X-Fieldcheck-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, "
                "t + '.' + body)>. Answer 2xx within 10 s; anything else is retried with back-off, oldest "
                "first. Refuse a t older than 5 minutes and a delivery id seen before."))
@requires("settings")
def create_webhook(evaluation):
    body = SubscriptionRequestSchema().load(request.get_json(silent=True) or {})
    row, secret = webhooks.subscribe(evaluation, body["url"], body["events"], current_principal().name)
    db.session.commit()
    return jsonify({**NewSubscriptionSchema().dump(row), "secret": secret}), 201


@bp.delete(f"{PREFIX}/<int:subscription_id>")
@documented("Remove a subscription (its deliveries go with it)", status=204)
@requires("settings")
def delete_webhook(evaluation, subscription_id):
    webhooks.remove(evaluation, subscription_id, current_principal().name)
    db.session.commit()
    return "", 204


@bp.post(f"{PREFIX}/<int:subscription_id>/enable")
@documented("Enable a disabled subscription; its kept deliveries go out again", response=SubscriptionSchema,
            response_example=SUBSCRIPTION)
@requires("settings")
def enable_webhook(evaluation, subscription_id):
    row = webhooks.enable(evaluation, subscription_id, current_principal().name)
    db.session.commit()
    return jsonify(SubscriptionSchema().dump(row))


@bp.get(f"{PREFIX}/<int:subscription_id>/deliveries")
@documented("The delivery log, newest first: each delivery's state, attempts and answers",
            response=DeliverySchema(many=True), response_example=DELIVERIES_ANSWER)
@requires("settings")
def webhook_deliveries(evaluation, subscription_id):
    return jsonify(DeliverySchema(many=True).dump(
        webhooks.deliveries(webhooks.find(evaluation, subscription_id))))


@bp.post(f"{PREFIX}/<int:subscription_id>/deliveries/<int:delivery_id>/redeliver")
@documented("Send a delivery again, as soon as possible", response=DeliverySchema,
            response_example=REDELIVERY_ANSWER)
@requires("settings")
def redeliver_webhook(evaluation, subscription_id, delivery_id):
    row = webhooks.redeliver(evaluation, subscription_id, delivery_id, current_principal().name)
    db.session.commit()
    return jsonify(DeliverySchema().dump(row))

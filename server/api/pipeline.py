"""The background pipeline through the API: failures and retries, re-checks, worker health."""
from flask import jsonify
from marshmallow import Schema, fields

from server import pipeline
from server.api import bp
from server.api.auth import current_principal, requires, requires_site_admin
from server.api.openapi import documented
from server.extensions import db, rq


class EventSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    queue = fields.String()
    state = fields.String()
    payload = fields.Dict()
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    created_at = fields.DateTime()
    next_attempt_at = fields.DateTime(allow_none=True)


class RecheckSchema(Schema):
    submissions = fields.Integer(metadata={"description": "submissions queued for re-checking"})


class WorkerSchema(Schema):
    name = fields.String()
    state = fields.String()
    queues = fields.List(fields.String())
    last_heartbeat = fields.DateTime(allow_none=True)
    pid = fields.Integer(allow_none=True)


class StatusSchema(Schema):
    workers = fields.List(fields.Nested(WorkerSchema))
    queues = fields.Dict(keys=fields.String(), values=fields.Integer())
    outbox = fields.Dict(metadata={"description": "queue -> {state: count}, done events left out"})


@bp.get("/evaluations/<code>/events/failed")
@documented("Background work that failed for good, with the reason", response=EventSchema(many=True))
@requires("review")
def failed_events(evaluation):
    return jsonify(EventSchema(many=True).dump(pipeline.failed_events(evaluation)))


@bp.post("/evaluations/<code>/events/<int:event_id>/retry")
@documented("Retry a failed event", response=EventSchema)
@requires("review")
def retry_event(evaluation, event_id):
    event = pipeline.retry_event(evaluation, event_id, current_principal().name)
    db.session.commit()
    return jsonify(EventSchema().dump(event))


@bp.post("/evaluations/<code>/recheck")
@documented("Re-run the pipeline for every current submission (e.g. after a rule change)",
            response=RecheckSchema, status=202)
@requires("manage")
def recheck(evaluation):
    count = pipeline.recheck_evaluation(evaluation, current_principal().name)
    db.session.commit()
    return jsonify({"submissions": count}), 202


@bp.get("/workers")
@documented("Workers (last heartbeat), queue lengths and outbox counts (site admins)", response=StatusSchema)
def workers():
    requires_site_admin()
    return jsonify(StatusSchema().dump(pipeline.status(rq)))

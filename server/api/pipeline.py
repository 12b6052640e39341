"""The background pipeline through the API: failures and retries, re-checks, worker health."""
from flask import jsonify, url_for
from marshmallow import Schema, fields

from server.api.auth import current_principal, requires, requires_site_admin
from server.api.blueprint import bp
from server.api.forms import JobSchema
from server.api.openapi import documented
from server.api.route_examples import (FAILED_EVENTS_ANSWER, RECHECK_ANSWER, RETRIED_EVENT_ANSWER,
                                       WORKERS_ANSWER)
from server.infra.extensions import db, rq
from server.pipeline import job_records, operations


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
    job = fields.Nested(JobSchema, metadata={"description": "follow it at status_url (done/total)"})
    status_url = fields.String()


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
@documented("Background work that failed for good, with the reason", response=EventSchema(many=True),
            response_example=FAILED_EVENTS_ANSWER)
@requires("review")
def failed_events(evaluation):
    return jsonify(EventSchema(many=True).dump(operations.failed_events(evaluation)))


@bp.post("/evaluations/<code>/events/<int:event_id>/retry")
@documented("Retry a failed event", response=EventSchema, response_example=RETRIED_EVENT_ANSWER)
@requires("review")
def retry_event(evaluation, event_id):
    event = operations.retry_event(evaluation, event_id, current_principal().name)
    db.session.commit()
    return jsonify(EventSchema().dump(event))


@bp.post("/evaluations/<code>/recheck")
@documented("Re-run the pipeline for every current submission (e.g. after a rule change)",
            response=RecheckSchema, status=202, response_example=RECHECK_ANSWER)
@requires("settings")
def recheck(evaluation):
    job, count = operations.start_recheck(evaluation, current_principal().name)
    db.session.commit()
    status_url = url_for("api.get_job", code=evaluation.code, job_id=job.id)
    body = {"submissions": count, "job": job_records.live_view(job), "status_url": status_url}
    return jsonify(RecheckSchema().dump(body)), 202, {"Location": status_url}


@bp.get("/workers")
@documented("Workers (last heartbeat), queue lengths and outbox counts (site admins)", response=StatusSchema,
            response_example=WORKERS_ANSWER)
def workers():
    requires_site_admin()
    return jsonify(StatusSchema().dump(operations.status(rq)))

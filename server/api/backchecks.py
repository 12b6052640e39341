"""Back-checks through the API: draw (seeded share per enumerator), list the targets, and the bcstats-style
report."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate

from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.api.route_examples import (BACKCHECKS_ANSWER, BACKCHECK_DRAW_ANSWER, BACKCHECK_DRAW_EXAMPLE,
                                       BACKCHECK_REPORT_ANSWER)
from server.backchecks import queries, service
from server.infra.extensions import db


class BackcheckDrawRequestSchema(Schema):
    share = fields.Float(validate=validate.Range(0.0, 1.0, min_inclusive=False),
                         metadata={"description": "default: the evaluation's backcheck.share (0.10)"})
    seed = fields.String(validate=validate.Length(1, 64),
                         metadata={"description": "default: a random seed, recorded"})
    backcheckers = fields.List(fields.String(), metadata={"description": "usernames of the back-check team"})


class BackcheckTargetSchema(Schema):
    id = fields.Integer()
    draw_id = fields.Integer()
    instance_id = fields.String(metadata={"description": "the original interview"})
    enumerator = fields.String()
    backchecker = fields.String()
    household = fields.String()
    done = fields.Boolean()
    comparison = fields.List(fields.Dict(), allow_none=True)
    compared_at = fields.DateTime(allow_none=True)


class BackcheckUnassignedSchema(Schema):
    enumerator = fields.String()
    interviews = fields.Integer(metadata={"description": "drawn interviews that got no back-checker"})
    reason = fields.String()


class BackcheckDrawSchema(Schema):
    id = fields.Integer()
    seed = fields.String()
    share = fields.Float()
    targets = fields.List(fields.Nested(BackcheckTargetSchema))
    unassigned = fields.List(fields.Nested(BackcheckUnassignedSchema),
                             metadata={"description": "enumerators the draw could not give a back-checker"})


class BackcheckTargetListSchema(Schema):
    items = fields.List(fields.Nested(BackcheckTargetSchema))


class BackcheckRateSchema(Schema):
    compared = fields.Integer()
    differences = fields.Integer()
    error_rate = fields.Float(allow_none=True)
    enumerator = fields.String()
    backchecker = fields.String()
    key = fields.String()
    type = fields.Integer()


class BackcheckOutsideDrawSchema(Schema):
    instance_id = fields.String()
    reason = fields.String(metadata={"description": "no_original, not_drawn, by_original_enumerator, "
                                                    "not_assigned_backchecker"})
    household = fields.String()
    enumerator = fields.String()


class BackcheckReportSchema(Schema):
    backchecks = fields.Integer()
    outside_draw = fields.List(fields.Nested(BackcheckOutsideDrawSchema))
    by_enumerator = fields.List(fields.Nested(BackcheckRateSchema))
    by_backchecker = fields.List(fields.Nested(BackcheckRateSchema))
    by_field = fields.List(fields.Nested(BackcheckRateSchema))
    by_type = fields.List(fields.Nested(BackcheckRateSchema))
    by_enumerator_and_type = fields.Dict(keys=fields.String(),
                                         values=fields.List(fields.Nested(BackcheckRateSchema)))


class BackcheckListQuerySchema(Schema):
    draw = fields.Integer()


@bp.post("/evaluations/<code>/backchecks/draw")
@documented("Draw a seeded share of each enumerator's interviews for a back-check by another enumerator",
            request=BackcheckDrawRequestSchema, response=BackcheckDrawSchema, status=201,
            example=BACKCHECK_DRAW_EXAMPLE, response_example=BACKCHECK_DRAW_ANSWER)
@requires("samples")
def draw_backchecks(evaluation):
    body = BackcheckDrawRequestSchema().load(request.get_json(silent=True) or {})
    row, _ = service.draw(evaluation, current_principal().name, body.get("share"), body.get("seed"),
                          body.get("backcheckers"))
    db.session.commit()
    document = {"id": row.id, "seed": row.seed, "share": row.share,
                "targets": queries.targets(evaluation, row.id), "unassigned": row.unassigned}
    return jsonify(BackcheckDrawSchema().dump(document)), 201


@bp.get("/evaluations/<code>/backchecks")
@documented("The back-check targets, with their comparison once done", query=BackcheckListQuerySchema,
            response=BackcheckTargetListSchema, response_example=BACKCHECKS_ANSWER)
@requires("read")
def list_backchecks(evaluation):
    query = BackcheckListQuerySchema().load(request.args)
    items = queries.targets(evaluation, query.get("draw"))
    return jsonify(BackcheckTargetListSchema().dump({"items": items}))


@bp.get("/evaluations/<code>/backchecks/report")
@documented("Back-check error rates per enumerator, back-checker, field and field type (bcstats)",
            response=BackcheckReportSchema, response_example=BACKCHECK_REPORT_ANSWER)
@requires("read")
def backcheck_report(evaluation):
    return jsonify(BackcheckReportSchema().dump(queries.report(evaluation)))

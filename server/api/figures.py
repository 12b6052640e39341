"""The figures through the API: per evaluation, county, township or village, the interviews behind each
figure, and the reconciliation settings (poverty lines, negative list, endorsement answers, back-check
share)."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate

from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.api.route_examples import (CHANGED_RECONCILIATION_SETTINGS_ANSWER, FIGURES_ANSWER,
                                       FIGURE_INTERVIEWS_ANSWER, RECONCILIATION_EXAMPLE,
                                       RECONCILIATION_SETTINGS_ANSWER)
from server.infra.i18n import msg
from server.infra.extensions import db
from server.figures import evidence, read
from server.figures.rates import FIGURES
from server.reconciliation import review
from server.evaluation_settings.reconciliation import effective
from server.evaluation_settings.reconciliation_schema import ReconciliationSettingsSchema


class FigureThresholdSchema(Schema):
    op = fields.String()
    value = fields.Float()


class FigureSchema(Schema):
    name = fields.String()
    title_zh = fields.String()
    title_en = fields.String()
    unit = fields.String(metadata={"description": "persons or households"})
    numerator = fields.Integer()
    denominator = fields.Integer()
    value = fields.Float(allow_none=True)
    ci95 = fields.List(fields.Float(), allow_none=True, metadata={"description": "Wilson score interval"})
    threshold = fields.Nested(FigureThresholdSchema, allow_none=True)
    passed = fields.Boolean(allow_none=True, data_key="pass", attribute="pass")
    population = fields.String(metadata={"description": "who the figure is about"})
    denominator_rule = fields.String(metadata={"description": "what the denominator counts"})
    left_out = fields.Dict(keys=fields.String(), values=fields.Integer(),
                           metadata={"description": "interviews of the figure's population left out, by "
                                                    "reason: refused, awaiting_review, rejected, duplicate; "
                                                    "encrypted_not_checked (population unknown until a "
                                                    "decryption run: the whole evaluation's, in the "
                                                    "area not placed)"})


class FieldworkSchema(Schema):
    visited = fields.Integer(metadata={"description": "households visited (interviews and refusals), "
                                                      "once each"})
    interviewed = fields.Integer()
    refused = fields.Integer(metadata={"description": "declined, nobody at home, could not be reached"})
    substitutes = fields.Integer(metadata={"description": "visited households that are recorded substitutes"})


class PolicySchema(Schema):
    count_statuses = fields.List(fields.String())
    awaiting_review = fields.String(metadata={"description": "left_out (default) or counted_provisionally"})
    statement = fields.List(fields.String(),
                            metadata={"description": "the counting rules in force, in words"})


class FigureAreaSchema(Schema):
    level = fields.String()
    code = fields.String(allow_none=True)
    placed = fields.Boolean(metadata={"description": "false: interviews whose village is not one of the "
                                                     "evaluation's (an unknown card and village)"})
    names = fields.Dict()
    interviews = fields.Integer(metadata={"description": "interviews that count"})
    counters = fields.Dict()
    fieldwork = fields.Nested(FieldworkSchema)
    figures = fields.List(fields.Nested(FigureSchema))


class FiguresSchema(Schema):
    evaluation = fields.String()
    level = fields.String()
    assumptions = fields.List(fields.String(), metadata={"description": "how derived figures are computed"})
    count_statuses = fields.List(fields.String())
    policy = fields.Nested(PolicySchema)
    encrypted_not_checked = fields.Integer(metadata={
        "description": "encrypted interviews not checked and not counted until a decryption run opens them "
                       "(POST .../decryptions)"})
    areas = fields.List(fields.Nested(FigureAreaSchema))


class FiguresQuerySchema(Schema):
    level = fields.String(load_default="county", validate=validate.OneOf(read.LEVELS))
    area = fields.String(metadata={"description": "limit to a county, township or village code"})


class EvidenceQuerySchema(Schema):
    part = fields.String(load_default="numerator", validate=validate.OneOf(("numerator", "denominator")))
    area = fields.String()
    after = fields.Integer()
    limit = fields.Integer(load_default=100, validate=validate.Range(1, evidence.PAGE_MAX))


class EvidenceItemSchema(Schema):
    instance_id = fields.String()
    village_code = fields.String()
    persons = fields.Integer()
    status = fields.String(allow_none=True)


class EvidencePageSchema(Schema):
    figure = fields.String()
    part = fields.String()
    items = fields.List(fields.Nested(EvidenceItemSchema))
    next_cursor = fields.Integer(allow_none=True)


class ReconciliationSettingsAnswerSchema(Schema):
    overrides = fields.Dict()
    effective = fields.Dict()
    queued = fields.Integer(metadata={"description": "submissions queued to be reconciled again"})


@bp.get("/evaluations/<code>/figures")
@documented("The figures (错退率, 漏评率, 错评率, 识别/退出准确率, 认可度, satisfaction) per area, with numerator, "
            "denominator, 95% Wilson interval, threshold and pass/fail", query=FiguresQuerySchema,
            response=FiguresSchema, response_example=FIGURES_ANSWER)
@requires("read")
def get_figures(evaluation):
    query = FiguresQuerySchema().load(request.args)
    return jsonify(FiguresSchema().dump(read.figures(evaluation, query["level"], query.get("area"))))


@bp.get("/evaluations/<code>/figures/<figure>/interviews")
@documented("The interviews behind a figure's numerator or denominator, paged by cursor",
            query=EvidenceQuerySchema, response=EvidencePageSchema, response_example=FIGURE_INTERVIEWS_ANSWER,
            description=msg("figure is one of: %(figures)s", figures=", ".join(FIGURES)))
@requires("read")
def figure_interviews(evaluation, figure):
    query = EvidenceQuerySchema().load(request.args)
    items, cursor = evidence.interviews(evaluation, figure, query["part"], query.get("area"),
                                        query.get("after"), query["limit"])
    return jsonify(EvidencePageSchema().dump({"figure": figure, "part": query["part"], "items": items,
                                              "next_cursor": cursor}))


@bp.get("/evaluations/<code>/reconciliation/settings")
@documented("The reconciliation settings: overrides and the effective values (defaults merged)",
            response=ReconciliationSettingsAnswerSchema, response_example=RECONCILIATION_SETTINGS_ANSWER)
@requires("read")
def get_reconciliation_settings(evaluation):
    overrides = (evaluation.settings or {}).get("reconciliation") or {}
    document = {"overrides": overrides, "queued": 0, "effective": effective(evaluation.settings)}
    return jsonify(ReconciliationSettingsAnswerSchema().dump(document))


@bp.put("/evaluations/<code>/reconciliation/settings")
@documented("Replace the reconciliation overrides (poverty lines, negative list, endorsement answers, "
            "back-check share, ...); every current submission is reconciled again",
            request=ReconciliationSettingsSchema, response=ReconciliationSettingsAnswerSchema,
            example=RECONCILIATION_EXAMPLE, response_example=CHANGED_RECONCILIATION_SETTINGS_ANSWER)
@requires("settings")
def put_reconciliation_settings(evaluation):
    overrides, queued = review.change_settings(evaluation, request.get_json(silent=True) or {},
                                               current_principal().name)
    db.session.commit()
    document = {"overrides": overrides, "queued": queued, "effective": effective(evaluation.settings)}
    return jsonify(ReconciliationSettingsAnswerSchema().dump(document))

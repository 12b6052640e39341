"""The rules: the catalogue, and an evaluation's settings (a change re-checks its submissions)."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate

from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.api.route_examples import (CHANGED_RECUSAL_ANSWER, CHANGED_RULE_SETTINGS_ANSWER, RECUSAL_ANSWER,
                                       RECUSAL_EXAMPLE, RULES_ANSWER, RULES_EXAMPLE, RULE_SETTINGS_ANSWER)
from server.infra.extensions import db
from server.recusal import review
from server.recusal.registry import RULES
from server.recusal.settings import SettingsSchema, effective


class LocalisedSchema(Schema):
    zh = fields.String()
    en = fields.String()


class ParamSchema(Schema):
    name = fields.String()
    default = fields.Raw()
    about = fields.String()
    about_zh = fields.String()
    kind = fields.String(metadata={"description": "int, float, bool, str or list"})
    minimum = fields.Float(allow_none=True)
    maximum = fields.Float(allow_none=True)
    choices = fields.List(fields.String())
    unit = fields.String()


class RuleSchema(Schema):
    code = fields.String()
    version = fields.Integer()
    theme = fields.String()
    severity = fields.String(metadata={"description": "default severity: exclude, review or info"})
    title = fields.Nested(LocalisedSchema)
    explanation = fields.Nested(LocalisedSchema)
    needs = fields.List(fields.String(), metadata={"description": "contract keys the rule reads"})
    parameters = fields.List(fields.Nested(ParamSchema))


class RuleSettingSchema(Schema):
    enabled = fields.Boolean()
    severity = fields.String()
    params = fields.Dict()


class EffectiveSettingsSchema(Schema):
    could_not_run = fields.String(metadata={"description": "review: a check that could not run needs a look"})
    rules = fields.Dict(keys=fields.String(), values=fields.Nested(RuleSettingSchema))


class SettingsAnswerSchema(Schema):
    overrides = fields.Nested(SettingsSchema, metadata={"description": "what the evaluation sets"})
    effective = fields.Nested(EffectiveSettingsSchema, metadata={"description": "defaults merged in"})
    rechecking = fields.Integer(metadata={"description": "submissions queued for re-checking (PUT only)"})


@bp.get("/rules")
@documented("Every rule: code, titles and explanations (zh/en), default severity, parameters",
            response=RuleSchema(many=True), response_example=RULES_ANSWER)
def list_rules():
    current_principal()
    return jsonify(RuleSchema(many=True).dump([r.info.to_dict() for r in RULES]))


@bp.get("/evaluations/<code>/rules")
@documented("The evaluation's rule settings: its overrides and the effective values",
            response=SettingsAnswerSchema, response_example=RULE_SETTINGS_ANSWER)
@requires("read")
def get_rule_settings(evaluation):
    return jsonify(_answer(evaluation))


@bp.put("/evaluations/<code>/rules")
@documented("Replace the evaluation's rule settings; every current submission is re-checked",
            request=SettingsSchema, response=SettingsAnswerSchema, status=202, example=RULES_EXAMPLE,
            response_example=CHANGED_RULE_SETTINGS_ANSWER)
@requires("settings")
def put_rule_settings(evaluation):
    body = request.get_json(silent=True) or {}
    _, queued = review.change_settings(evaluation, body, current_principal().name)
    db.session.commit()
    return jsonify(_answer(evaluation, queued)), 202


class RecusalLevelSchema(Schema):
    level = fields.String(required=True, validate=validate.OneOf(review.RECUSAL_LEVELS),
                          metadata={"description": "province, county (default), township or village"})


class RecusalLevelAnswerSchema(Schema):
    level = fields.String()
    rechecking = fields.Integer(metadata={"description": "submissions queued to be checked again"})


@bp.get("/evaluations/<code>/recusal")
@documented("The evaluation's recusal level (assignments and REC-02)", response=RecusalLevelAnswerSchema,
            response_example=RECUSAL_ANSWER)
@requires("read")
def get_recusal_level(evaluation):
    level = (evaluation.settings or {}).get("recusal_level", "county")
    return jsonify(RecusalLevelAnswerSchema().dump({"level": level}))


@bp.put("/evaluations/<code>/recusal")
@documented("Set the evaluation's recusal level (county or township, ...); every current submission is "
            "re-checked", request=RecusalLevelSchema, response=RecusalLevelAnswerSchema, status=202,
            example=RECUSAL_EXAMPLE, response_example=CHANGED_RECUSAL_ANSWER)
@requires("settings")
def put_recusal_level(evaluation):
    body = RecusalLevelSchema().load(request.get_json(silent=True) or {})
    queued = review.set_recusal_level(evaluation, body["level"], current_principal().name)
    db.session.commit()
    return jsonify(RecusalLevelAnswerSchema().dump({"level": body["level"], "rechecking": queued})), 202


def _answer(evaluation, queued=None):
    stored = (evaluation.settings or {}).get("rules") or {"rules": {}, "could_not_run": "review"}
    answer = {"overrides": stored, "effective": effective(evaluation.settings).to_dict()}
    if queued is not None:
        answer["rechecking"] = queued
    return SettingsAnswerSchema().dump(answer)

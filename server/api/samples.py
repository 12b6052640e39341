"""Samples drawn from the register, and substitutes for households that could not be interviewed."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server.api import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.extensions import db
from server.households import sampling, substitutes
from server.models import Household, SampleUnit


class DrawRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    seed = fields.String(validate=validate.Length(1, 64),
                         metadata={"description": "Omit for a fresh random seed; it is recorded."})
    design = fields.Nested(sampling.DesignSchema, required=True)


class UnitSchema(Schema):
    id = fields.Integer()
    stratum = fields.String()
    rank = fields.Integer()
    archive_id = fields.String(allow_none=True)
    village_code = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    substitute_for_id = fields.Integer(allow_none=True)
    substitute_reason = fields.String(allow_none=True)


class SampleSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    seed = fields.String()
    design = fields.Dict()
    created_at = fields.DateTime()
    units = fields.List(fields.Nested(UnitSchema))


class SubstituteRequestSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(sampling.REASONS))
    note = fields.String(load_default="", validate=validate.Length(0, 400))


@bp.post("/evaluations/<code>/samples")
@documented("Draw a reproducible sample (the seed is recorded)", request=DrawRequestSchema,
            response=SampleSchema, status=201)
@requires("manage")
def draw_sample(evaluation):
    body = DrawRequestSchema().load(request.get_json(silent=True) or {})
    sample = sampling.draw_sample(evaluation, body["name"], body["design"], current_principal().name,
                                  seed=body.get("seed"))
    db.session.commit()
    return jsonify(_dump(sample)), 201


@bp.get("/evaluations/<code>/samples/<int:sample_id>")
@documented("A sample and its units", response=SampleSchema)
@requires("review")
def get_sample(evaluation, sample_id):
    return jsonify(_dump(substitutes.get_sample(evaluation.id, sample_id)))


@bp.post("/evaluations/<code>/samples/<int:sample_id>/units/<int:unit_id>/substitute")
@documented("Record why a drawn household was not interviewed and draw its substitute",
            request=SubstituteRequestSchema, response=UnitSchema, status=201)
@requires("manage")
def substitute_unit(evaluation, sample_id, unit_id):
    body = SubstituteRequestSchema().load(request.get_json(silent=True) or {})
    sample = substitutes.get_sample(evaluation.id, sample_id)
    unit = substitutes.substitute(sample, unit_id, body["reason"], current_principal().name, body["note"])
    db.session.commit()
    return jsonify(UnitSchema().dump(_unit_rows([unit])[0])), 201


def _dump(sample):
    units = db.session.execute(select(SampleUnit).where(SampleUnit.sample_id == sample.id)
                               .order_by(SampleUnit.stratum, SampleUnit.rank)).scalars().all()
    fields_ = ("id", "name", "seed", "design", "created_at")
    return SampleSchema().dump({**{k: getattr(sample, k) for k in fields_}, "units": _unit_rows(units)})


def _unit_rows(units):
    ids = {u.household_id for u in units if u.household_id}
    archive = dict(db.session.execute(select(Household.id, Household.archive_id)
                                      .where(Household.id.in_(ids))).all()) if ids else {}
    return [{**{k: getattr(u, k) for k in ("id", "stratum", "rank", "village_code", "outcome",
                                           "substitute_for_id", "substitute_reason")},
             "archive_id": archive.get(u.household_id)} for u in units]

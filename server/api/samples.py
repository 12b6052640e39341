"""Samples drawn from the register, and substitutes for households that could not be interviewed."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate
from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.api.route_examples import (ASSIGNED_ANSWER, ASSIGN_EXAMPLE, COVERAGE_ANSWER, DRAW_EXAMPLE,
                                       SAMPLE, SAMPLES_ANSWER, SUBSTITUTE_ANSWER, SUBSTITUTE_EXAMPLE)
from server.infra.extensions import db
from server.households import assignments, coverage, sampling, substitutes
from server.households import samples as sample_reads


class DrawRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    seed = fields.String(validate=validate.Length(1, 64),
                         metadata={"description": "Omit for a fresh random seed; it is recorded."})
    design = fields.Nested(sampling.DesignSchema, required=True)


class UnitSchema(Schema):
    id = fields.Integer()
    head_name = fields.String(allow_none=True)
    village = fields.String(allow_none=True)
    assigned_to = fields.List(fields.String(), metadata={"description": "Enumerators holding this unit."})
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


class SampleSummarySchema(Schema):
    id = fields.Integer()
    name = fields.String()
    seed = fields.String()
    created_at = fields.DateTime()
    households = fields.Integer()
    villages = fields.Integer(metadata={"description": "Villages drawn for 漏评 screening."})
    replaced = fields.Integer()


class SampleListSchema(Schema):
    samples = fields.List(fields.Nested(SampleSummarySchema))


class AssignSampleSchema(Schema):
    enumerator = fields.String(required=True, metadata={"description": "The enumerator's username."})
    units = fields.List(fields.Integer(),
                        metadata={"description": "Only these units; default: every live unit."})


class AssignedSchema(Schema):
    assigned = fields.Integer(metadata={"description": "New assignments (units already theirs are skipped)."})
    assignment_ids = fields.List(fields.Integer())


class CoverageCountsSchema(Schema):
    units = fields.Integer(metadata={"description": "Live household units (drawn, not replaced)."})
    assigned = fields.Integer(metadata={"description": "Live units an enumerator holds."})
    interviewed = fields.Integer(metadata={"description": "Live units whose household has a current "
                                                          "interview."})
    missing = fields.Integer(metadata={"description": "Live units not interviewed yet."})
    unassigned = fields.Integer()
    replaced = fields.Integer()


class CoverageTotalsSchema(CoverageCountsSchema):
    screening_villages = fields.Integer()
    screening_assigned = fields.Integer()


class CoverageSchema(Schema):
    totals = fields.Nested(CoverageTotalsSchema)
    strata = fields.Dict(keys=fields.String(), values=fields.Nested(CoverageCountsSchema))
    states = fields.Dict(keys=fields.String(), values=fields.String(), metadata={
        "description": "Unit id: interviewed, assigned, unassigned, replaced or screening."})


class SubstituteRequestSchema(Schema):
    reason = fields.String(required=True, validate=validate.OneOf(sampling.REASONS))
    note = fields.String(load_default="", validate=validate.Length(0, 400))


@bp.post("/evaluations/<code>/samples")
@documented("Draw a reproducible sample (the seed is recorded)", request=DrawRequestSchema,
            response=SampleSchema, status=201, example=DRAW_EXAMPLE, response_example=SAMPLE, description=(
                "Strata: exited / not exited households (per village with per_village). Each stratum is "
                "drawn with a generator seeded with '<seed>:<stratum>' from the active households in "
                "archive_id order: the same seed and design on the same register draw the same units. "
                "422 sample.bad_design lists every {field, message}; 422 sample.empty when no household "
                "matches."))
@requires("samples")
def draw_sample(evaluation):
    body = DrawRequestSchema().load(request.get_json(silent=True) or {})
    sample = sampling.draw_sample(evaluation, body["name"], body["design"], current_principal().name,
                                  seed=body.get("seed"))
    db.session.commit()
    return jsonify(_dump(sample)), 201


@bp.get("/evaluations/<code>/samples")
@documented("The samples of the evaluation, newest first", response=SampleListSchema,
            response_example=SAMPLES_ANSWER)
@requires("read")
def list_samples(evaluation):
    return jsonify(SampleListSchema().dump({"samples": sample_reads.list_samples(evaluation.id)}))


@bp.post("/evaluations/<code>/samples/<int:sample_id>/assignments")
@documented("Assign a sample's live units (or some of them) to an enumerator; all or none",
            request=AssignSampleSchema, response=AssignedSchema, status=201, example=ASSIGN_EXAMPLE,
            response_example=ASSIGNED_ANSWER,
            description=("409 assignment.recusal when the recusal rule refuses any unit; its details name "
                         "each unit with the enumerator, the level and the place compared, and nothing is "
                         "assigned. Units the enumerator holds already are skipped."))
@requires("samples")
def assign_sample(evaluation, sample_id):
    body = AssignSampleSchema().load(request.get_json(silent=True) or {})
    sample = substitutes.get_sample(evaluation.id, sample_id)
    enumerator = assignments.get_enumerator(evaluation.id, body["enumerator"])
    made = sample_reads.assign_units(evaluation, sample, enumerator, current_principal().name,
                                     body.get("units"))
    db.session.commit()
    answer = {"assigned": len(made), "assignment_ids": [a.id for a in made]}
    return jsonify(AssignedSchema().dump(answer)), 201


@bp.get("/evaluations/<code>/samples/<int:sample_id>")
@documented("A sample and its units", response=SampleSchema, response_example=SAMPLE)
@requires("read")
def get_sample(evaluation, sample_id):
    return jsonify(_dump(substitutes.get_sample(evaluation.id, sample_id)))


@bp.post("/evaluations/<code>/samples/<int:sample_id>/units/<int:unit_id>/substitute")
@documented("Record why a drawn household was not interviewed and draw its substitute",
            request=SubstituteRequestSchema, response=UnitSchema, status=201, example=SUBSTITUTE_EXAMPLE,
            response_example=SUBSTITUTE_ANSWER)
@requires("samples")
def substitute_unit(evaluation, sample_id, unit_id):
    body = SubstituteRequestSchema().load(request.get_json(silent=True) or {})
    sample = substitutes.get_sample(evaluation.id, sample_id)
    unit = substitutes.substitute(sample, unit_id, body["reason"], current_principal().name, body["note"])
    db.session.commit()
    return jsonify(UnitSchema().dump(sample_reads.unit_rows([unit])[0])), 201


@bp.get("/evaluations/<code>/samples/<int:sample_id>/coverage")
@documented("A sample's coverage: units assigned, interviewed and missing, in total and per stratum",
            response=CoverageSchema, response_example=COVERAGE_ANSWER)
@requires("read")
def sample_coverage(evaluation, sample_id):
    state = coverage.coverage(substitutes.get_sample(evaluation.id, sample_id))
    states = {str(unit): value for unit, value in state["states"].items()}
    return jsonify(CoverageSchema().dump({**state, "states": states}))


def _dump(sample):
    fields_ = ("id", "name", "seed", "design", "created_at")
    units = sample_reads.unit_rows(sample_reads.units_of(sample))
    return SampleSchema().dump({**{k: getattr(sample, k) for k in fields_}, "units": units})

"""Assignments of households or villages to enumerators, refused on recusal unless an admin overrides."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.api.route_examples import ASSIGNMENTS_ANSWER, ASSIGNMENT_ANSWER, ASSIGNMENT_EXAMPLE
from server.infra.errors import not_found
from server.infra.i18n import msg
from server.infra.extensions import db
from server.households import assignments, service
from server.models import Assignment


class AssignRequestSchema(Schema):
    enumerator = fields.String(required=True, metadata={"description": "The enumerator's username."})
    archive_id = fields.String(metadata={"description": "Assign one household ..."})
    village_code = fields.String(validate=validate.Regexp(r"^\d{12}$"),
                                 metadata={"description": "... or a whole village (漏评 screening)."})
    sample_unit_id = fields.Integer()
    override_justification = fields.String(validate=validate.Length(0, 2000), metadata={
        "description": "Admins only: assign despite a recusal refusal, for this written reason."})


class AssignmentSchema(Schema):
    id = fields.Integer()
    enumerator = fields.String(attribute="enumerator.username")
    archive_id = fields.String(attribute="household.archive_id", allow_none=True)
    village_code = fields.String(allow_none=True)
    sample_unit_id = fields.Integer(allow_none=True)
    override_justification = fields.String(allow_none=True)
    created_at = fields.DateTime()
    revoked_at = fields.DateTime(allow_none=True)


@bp.post("/evaluations/<code>/assignments")
@documented("Assign a household or a village to an enumerator", request=AssignRequestSchema,
            response=AssignmentSchema, status=201,
            example=ASSIGNMENT_EXAMPLE, response_example=ASSIGNMENT_ANSWER,
            description=msg(
                "Refused with code assignment.recusal (409) when the enumerator comes from the same "
                "place at the evaluation's recusal level, unless an admin gives override_justification."))
@requires("samples")
def create_assignment(evaluation):
    body = AssignRequestSchema().load(request.get_json(silent=True) or {})
    principal = current_principal()
    household = service.get_household(evaluation.id, body["archive_id"]) if body.get("archive_id") else None
    row = assignments.assign(
        evaluation, assignments.get_enumerator(evaluation.id, body["enumerator"]), principal.name,
        household=household, village_code=body.get("village_code"),
        sample_unit=assignments.get_unit(body.get("sample_unit_id")),
        justification=body.get("override_justification"),
        actor_is_admin=principal.may("override_recusal", evaluation))
    db.session.commit()
    return jsonify(AssignmentSchema().dump(row)), 201


@bp.get("/evaluations/<code>/assignments")
@documented("The live assignments of an evaluation", response=AssignmentSchema(many=True),
            response_example=ASSIGNMENTS_ANSWER)
@requires("read")
def list_assignments(evaluation):
    rows = db.session.execute(select(Assignment).where(Assignment.evaluation_id == evaluation.id,
                                                       Assignment.revoked_at.is_(None))
                              .order_by(Assignment.id)).scalars()
    return jsonify(AssignmentSchema(many=True).dump(rows))


@bp.delete("/evaluations/<code>/assignments/<int:assignment_id>")
@documented("Revoke an assignment", status=204)
@requires("samples")
def revoke_assignment(evaluation, assignment_id):
    row = db.session.get(Assignment, assignment_id)
    if row is None or row.evaluation_id != evaluation.id:
        raise not_found("assignment", assignment_id)
    assignments.revoke(row, current_principal().name)
    db.session.commit()
    return "", 204

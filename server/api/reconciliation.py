"""An interview's reconciliation through the API: the comparisons with the archive record, the classification
with its reasons and the supervisors' verdicts; and a verdict (confirm or reject a suspected flag)."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate

from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.api.openapi import documented
from server.api.route_examples import RECONCILIATION, VERDICT_ANSWER, VERDICT_EXAMPLE
from server.infra.extensions import db
from server.reconciliation import review
from server.evaluation_settings.reconciliation import FLAGS
from server.recusal.review import find_submission
from server.models import Household


class ReconciliationComparisonSchema(Schema):
    item = fields.String()
    record = fields.Raw(allow_none=True)
    answer = fields.Raw(allow_none=True)
    tolerance = fields.Raw(allow_none=True)
    verdict = fields.String(metadata={"description": "agrees, differs or cannot_compare"})


class ClassificationVerdictSchema(Schema):
    flag = fields.String()
    decision = fields.String()
    reason = fields.String()
    actor = fields.String()
    decided_at = fields.DateTime()


class ReconciliationSchema(Schema):
    instance_id = fields.String()
    status = fields.String(allow_none=True, metadata={"description": "the recusal status"})
    household = fields.String(allow_none=True, metadata={"description": "archive id"})
    household_type = fields.String(allow_none=True)
    comparisons = fields.List(fields.Nested(ReconciliationComparisonSchema))
    classification = fields.Dict(metadata={"description": "flags with verdict and reasons, evidence, 认可"})
    effective_flags = fields.Dict(metadata={"description": "after supervisors' verdicts"})
    verdicts = fields.List(fields.Nested(ClassificationVerdictSchema))
    reconciled_at = fields.DateTime()


class VerdictRequestSchema(Schema):
    flag = fields.String(required=True, validate=validate.OneOf(FLAGS))
    decision = fields.String(required=True, validate=validate.OneOf(review.DECISIONS))
    reason = fields.String(required=True, validate=validate.Length(review.MIN_REASON, 4000))


def _document(submission):
    row = review.reconciliation_of(submission)
    household = None
    if row.household_id is not None:
        household = db.session.get(Household, row.household_id).archive_id
    return {"instance_id": submission.instance_id, "status": submission.review_status, "household": household,
            "household_type": row.household_type, "comparisons": row.comparisons,
            "classification": row.classification, "effective_flags": review.effective_flags(submission),
            "verdicts": review.reviews(submission), "reconciled_at": row.reconciled_at}


@bp.get("/evaluations/<code>/submissions/<instance_id>/reconciliation")
@documented("An interview against its household's archive record: comparisons, classification, verdicts",
            response=ReconciliationSchema, response_example=RECONCILIATION)
@requires("read")
def get_reconciliation(evaluation, instance_id):
    submission = find_submission(evaluation, instance_id)
    return jsonify(ReconciliationSchema().dump(_document(submission)))


@bp.post("/evaluations/<code>/submissions/<instance_id>/classification")
@documented("A supervisor confirms or rejects a suspected 错评 / 漏评 / 错退, with a reason (audited); the "
            "figures follow at once", request=VerdictRequestSchema, response=ReconciliationSchema, status=201,
            example=VERDICT_EXAMPLE, response_example=VERDICT_ANSWER)
@requires("review")
def review_classification(evaluation, instance_id):
    body = VerdictRequestSchema().load(request.get_json(silent=True) or {})
    submission = find_submission(evaluation, instance_id)
    review.decide(evaluation, submission, body["flag"], body["decision"], body["reason"],
                  current_principal().name)
    db.session.commit()
    return jsonify(ReconciliationSchema().dump(_document(submission))), 201

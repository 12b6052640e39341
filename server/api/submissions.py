"""Interviews through the API: the list with filters, one interview with its findings and history,
and a supervisor's review decision (clear, or confirm the exclusion)."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate

from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.api.openapi import ATTACHMENT_TYPES, documented
from server.api.route_examples import (INTERVIEW_ANSWER, INTERVIEW_PAGE_ANSWER, LINK_ANSWER, LINK_EXAMPLE,
                                       REVIEW_ANSWER, REVIEW_EXAMPLE)
from server.api.rules import LocalisedSchema
from server.infra.extensions import db
from server.infra.file_responses import send_attachment
from server.reconciliation import links
from server.recusal import review, status
from server.recusal.queries import PAGE_MAX, interview_detail, list_interviews
from server.submissions import attachments


class RuleFindingSchema(Schema):
    code = fields.String()
    rule_version = fields.Integer()
    severity = fields.String()
    outcome = fields.String(metadata={"description": "found, could_not_run (data it needs is missing: "
                                                     "review) or not_applicable (never a reason to review)"})
    title = fields.Nested(LocalisedSchema)
    message = fields.Nested(LocalisedSchema)
    reason = fields.String()
    evidence = fields.Dict()
    parameters = fields.Dict()


class CheckRunSchema(Schema):
    id = fields.Integer()
    run_at = fields.DateTime()
    trigger = fields.String()
    status = fields.String()
    current = fields.Boolean()
    codes = fields.List(fields.String(), metadata={"description": "codes found in this run"})


class ReviewDecisionSchema(Schema):
    decision = fields.String()
    reason = fields.String()
    codes = fields.List(fields.String())
    actor = fields.String()
    decided_at = fields.DateTime()


class InterviewAttachmentSchema(Schema):
    name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()


class InterviewSummarySchema(Schema):
    instance_id = fields.String()
    root_instance_id = fields.String()
    status = fields.String(allow_none=True, metadata={
        "description": "clean, review, excluded, cleared; encrypted_not_checked (no rule could read it; "
                       "not counted); null until checked"})
    processing = fields.String()
    enumerator = fields.String(allow_none=True)
    household = fields.String(allow_none=True, metadata={"description": "archive id"})
    village_code = fields.String(allow_none=True)
    day = fields.String(allow_none=True, metadata={"description": "China date of the interview start"})
    received_at = fields.DateTime()
    codes = fields.List(fields.String(), metadata={"description": "rule codes found in the current run"})
    problem = fields.Dict(allow_none=True, metadata={"description": "why processing failed for good "
                                                                    "({code, message, details}), else null"})


class InterviewSchema(InterviewSummarySchema):
    answers = fields.Dict(allow_none=True)
    findings = fields.List(fields.Nested(RuleFindingSchema))
    history = fields.List(fields.Nested(CheckRunSchema))
    decisions = fields.List(fields.Nested(ReviewDecisionSchema))
    attachments = fields.List(fields.Nested(InterviewAttachmentSchema))


class InterviewPageSchema(Schema):
    items = fields.List(fields.Nested(InterviewSummarySchema))
    next_cursor = fields.Integer(allow_none=True,
                                 metadata={"description": "pass as ?after= for the next page"})


class InterviewQuerySchema(Schema):
    status = fields.String(validate=validate.OneOf(status.LISTED))
    rule = fields.String(metadata={"description": "a rule code found in the current run"})
    enumerator = fields.String(metadata={"description": "enumerator username"})
    village = fields.String(metadata={"description": "village code of the scanned household"})
    date_from = fields.Date(data_key="from", metadata={"description": "interview day (China), inclusive"})
    date_to = fields.Date(data_key="to", metadata={"description": "interview day (China), inclusive"})
    after = fields.Integer(metadata={"description": "cursor from the previous page"})
    limit = fields.Integer(load_default=50, validate=validate.Range(1, PAGE_MAX))


class DecisionRequestSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(status.DECISIONS),
                             metadata={"description": "clear, or exclude (confirm the exclusion)"})
    reason = fields.String(required=True, validate=validate.Length(review.MIN_REASON, 4000))


class DecisionAnswerSchema(Schema):
    status = fields.String()
    decision = fields.Nested(ReviewDecisionSchema)


@bp.get("/evaluations/<code>/submissions")
@documented("Interviews with their status, filtered and paged by cursor", query=InterviewQuerySchema,
            response=InterviewPageSchema, response_example=INTERVIEW_PAGE_ANSWER)
@requires("read")
def list_submissions(evaluation):
    query = InterviewQuerySchema().load(request.args)
    items, cursor = list_interviews(evaluation, query)
    return jsonify(InterviewPageSchema().dump({"items": items, "next_cursor": cursor}))


@bp.get("/evaluations/<code>/submissions/<instance_id>")
@documented("One interview: answers, status, findings with evidence, history of runs, decisions, attachments",
            response=InterviewSchema, response_example=INTERVIEW_ANSWER)
@requires("read")
def get_submission(evaluation, instance_id):
    submission = review.find_submission(evaluation, instance_id)
    return jsonify(InterviewSchema().dump(interview_detail(submission)))


@bp.post("/evaluations/<code>/submissions/<instance_id>/review")
@documented("A supervisor's decision with a written reason: clear the interview, or confirm its exclusion",
            request=DecisionRequestSchema, response=DecisionAnswerSchema, status=201,
            example=REVIEW_EXAMPLE, response_example=REVIEW_ANSWER)
@requires("review")
def review_submission(evaluation, instance_id):
    body = DecisionRequestSchema().load(request.get_json(silent=True) or {})
    submission = review.find_submission(evaluation, instance_id)
    row = review.decide(evaluation, submission, body["decision"], body["reason"], current_principal().name)
    db.session.commit()
    return jsonify(DecisionAnswerSchema().dump({"status": submission.review_status, "decision": row})), 201


class LinkRequestSchema(Schema):
    archive_id = fields.String(required=True, metadata={"description": "the register's household id"})
    reason = fields.String(required=True, validate=validate.Length(links.MIN_REASON, 4000))


class LinkAnswerSchema(Schema):
    instance_id = fields.String()
    household = fields.String(metadata={"description": "archive id"})
    queued = fields.Boolean(metadata={"description": "the interview is checked and reconciled again"})


@bp.post("/evaluations/<code>/submissions/<instance_id>/household")
@documented("Link an interview whose card was unknown, unreadable or missing to its registered household "
            "(nothing is created in the register); it is checked and reconciled again",
            request=LinkRequestSchema, response=LinkAnswerSchema, status=201, example=LINK_EXAMPLE,
            response_example=LINK_ANSWER)
@requires("review")
def link_household(evaluation, instance_id):
    body = LinkRequestSchema().load(request.get_json(silent=True) or {})
    submission = review.find_submission(evaluation, instance_id)
    links.link(evaluation, submission, body["archive_id"], body["reason"], current_principal().name)
    db.session.commit()
    return jsonify(LinkAnswerSchema().dump({"instance_id": submission.instance_id,
                                            "household": body["archive_id"], "queued": True})), 201


@bp.get("/evaluations/<code>/submissions/<instance_id>/attachments/<name>")
@documented("One attachment of a submission (photo, audio, ...), streamed: Range requests, "
            "ETag (its sha256), the original name in Content-Disposition; 410 when the file is missing "
            "from the media store", content_type=ATTACHMENT_TYPES)
@requires("read")
def get_attachment(evaluation, instance_id, name):
    attachment = attachments.find_attachment(evaluation, instance_id, name)
    return send_attachment(attachment, attachments.stored_path(attachment))

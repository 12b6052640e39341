"""Evaluations and their API tokens."""
from flask import jsonify, request
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from server.accounts import api_tokens
from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.infra import rate_limits
from server.api.openapi import documented
from server.api.route_examples import EVALUATIONS_ANSWER, NEW_TOKEN_ANSWER, TOKENS_ANSWER, TOKEN_EXAMPLE
from server.infra.errors import not_found
from server.infra.extensions import db
from server.models import TOKEN_SCOPES, ApiToken, Evaluation


class EvaluationSchema(Schema):
    code = fields.String()
    name = fields.String()
    default_language = fields.String()
    role = fields.String(metadata={"description": "The caller's role here."})


class TokenRequestSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(1, 200))
    scope = fields.String(required=True, validate=validate.OneOf(TOKEN_SCOPES))


class TokenSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    scope = fields.String()
    prefix = fields.String()
    created_at = fields.DateTime()
    last_used_at = fields.DateTime(allow_none=True)
    revoked_at = fields.DateTime(allow_none=True)
    token = fields.String(metadata={"description": "Only in the answer to its creation."})


@bp.get("/evaluations")
@documented("The evaluations the caller may see", response=EvaluationSchema(many=True),
            response_example=EVALUATIONS_ANSWER)
def list_evaluations():
    principal = current_principal()
    rows = db.session.execute(select(Evaluation).order_by(Evaluation.code)).scalars()
    visible = [dict(code=e.code, name=e.name, default_language=e.default_language, role=role)
               for e in rows if (role := principal.role_in(e))]
    return jsonify(EvaluationSchema(many=True).dump(visible))


@bp.get("/evaluations/<code>/tokens")
@documented("List the API tokens of an evaluation", response=TokenSchema(many=True),
            response_example=TOKENS_ANSWER)
@requires("users")
def list_tokens(evaluation):
    rows = db.session.execute(select(ApiToken).where(ApiToken.evaluation_id == evaluation.id)
                              .order_by(ApiToken.id)).scalars()
    return jsonify(TokenSchema(many=True, exclude=("token",)).dump(rows))


@bp.post("/evaluations/<code>/tokens")
@documented("Create an API token (the secret is in this answer only)", request=TokenRequestSchema,
            response=TokenSchema, status=201, example=TOKEN_EXAMPLE, response_example=NEW_TOKEN_ANSWER)
@requires("users")
@rate_limits.both("TOKENS", lambda: current_principal().name)
def create_token(evaluation):
    data = TokenRequestSchema().load(request.get_json(force=True, silent=True) or {})
    principal = current_principal()
    row, secret = api_tokens.create_token(evaluation, data["name"], data["scope"], actor=principal.name,
                                          created_by=principal.user and principal.user.id)
    db.session.commit()
    return jsonify({**TokenSchema().dump(row), "token": secret}), 201


@bp.delete("/evaluations/<code>/tokens/<int:token_id>")
@documented("Revoke an API token", status=204)
@requires("users")
def revoke_token(evaluation, token_id):
    row = db.session.get(ApiToken, token_id)
    if row is None or row.evaluation_id != evaluation.id:
        raise not_found("token", token_id)
    api_tokens.revoke_token(row, actor=current_principal().name)
    db.session.commit()
    return "", 204

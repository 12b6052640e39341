"""Bearer tokens for the JSON API (the archive system): scoped to one evaluation, stored hashed."""
from sqlalchemy import select

from server.accounts import audit
from server.infra import secrets_box
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import TOKEN_SCOPES, ApiToken
from server.models.types import utcnow

PREFIX = "fc_"


def create_token(evaluation, name, scope, actor="cli", created_by=None):
    """Create a token; returns (row, secret). The secret is shown once and never stored."""
    if scope not in TOKEN_SCOPES:
        raise Problem("token.bad_scope",
                      msg("The scope is one of %(choices)s.", choices=", ".join(TOKEN_SCOPES)))
    secret = PREFIX + secrets_box.new_token(32)
    row = ApiToken(evaluation_id=evaluation.id, name=name, scope=scope, created_by=created_by,
                   token_hash=secrets_box.token_hash(secret), prefix=secret[:10])
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "token.create", f"token:{row.id}", {"name": name, "scope": scope}, evaluation.id)
    return row, secret


def revoke_token(row, actor="cli"):
    row.revoked_at = utcnow()
    audit.record(actor, "token.revoke", f"token:{row.id}", {"name": row.name}, row.evaluation_id)


def find_token(secret):
    """The live token row for this secret, or None (unknown or revoked)."""
    row = db.session.execute(select(ApiToken).where(
        ApiToken.token_hash == secrets_box.token_hash(secret))).scalar()
    return row if row is not None and row.revoked_at is None else None

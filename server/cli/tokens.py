"""`fieldcheck tokens ...`: bearer tokens for the JSON API."""
import click
from sqlalchemy import select

from server import api_tokens
from server.cli.common import CommandGroup, commit
from server.evaluations import get_evaluation
from server.extensions import db
from server.models import TOKEN_SCOPES, ApiToken

group = CommandGroup("tokens", help="API bearer tokens (e.g. for the archive system).")


@group.command("create")
@click.argument("code")
@click.option("--name", required=True, help="Who uses it, e.g. 'archive system'.")
@click.option("--scope", required=True, type=click.Choice(TOKEN_SCOPES))
def create(code, name, scope):
    """Create a token for evaluation CODE; the last line printed is the token (shown once)."""
    row, secret = api_tokens.create_token(get_evaluation(code), name, scope)
    commit()
    click.echo(f"created {scope} token {row.id} ({row.name}); keep it safe, it is shown once:")
    click.echo(secret)


@group.command("list")
@click.argument("code")
def list_(code):
    """List the tokens of evaluation CODE (prefixes only)."""
    evaluation = get_evaluation(code)
    rows = db.session.execute(select(ApiToken).where(ApiToken.evaluation_id == evaluation.id)
                              .order_by(ApiToken.id)).scalars()
    for row in rows:
        state = "revoked" if row.revoked_at else "active"
        click.echo(f"{row.id}\t{row.prefix}…\t{row.scope}\t{state}\t{row.name}")


@group.command("revoke")
@click.argument("code")
@click.argument("token_id", type=int)
def revoke(code, token_id):
    """Revoke token TOKEN_ID of evaluation CODE."""
    evaluation = get_evaluation(code)
    row = db.session.get(ApiToken, token_id)
    if row is None or row.evaluation_id != evaluation.id:
        raise click.ClickException(f"no token {token_id} in {code}")
    api_tokens.revoke_token(row)
    commit()
    click.echo(f"revoked token {token_id}")

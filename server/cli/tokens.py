"""`fieldcheck tokens ...`: bearer tokens for the JSON API."""
import click

from server.accounts.roles import SCOPES
from server.cli.common import CommandGroup, commit
from server.infra.errors import not_found

group = CommandGroup("tokens", help="API bearer tokens (e.g. for the archive system).")


@group.command("create")
@click.argument("code")
@click.option("--name", required=True, help="Who uses it, e.g. 'archive system'.")
@click.option("--scope", required=True, type=click.Choice(SCOPES))
def create(code, name, scope):
    """Create a token for evaluation CODE; the last line printed is the token (shown once)."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import api_tokens  # lazy: --help

    row, secret = api_tokens.create_token(get_evaluation(code), name, scope)
    commit()
    click.echo(f"created {scope} token {row.id} ({row.name}); keep it safe, it is shown once:")
    click.echo(secret)


@group.command("list")
@click.argument("code")
def list_(code):
    """List the tokens of evaluation CODE (prefixes only)."""
    from sqlalchemy import select

    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.infra.extensions import db  # lazy: --help
    from server.models import ApiToken  # lazy: --help

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
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import api_tokens  # lazy: --help
    from server.infra.extensions import db  # lazy: --help
    from server.models import ApiToken  # lazy: --help

    evaluation = get_evaluation(code)
    row = db.session.get(ApiToken, token_id)
    if row is None or row.evaluation_id != evaluation.id:
        raise not_found("token", token_id)
    api_tokens.revoke_token(row)
    commit()
    click.echo(f"revoked token {token_id}")

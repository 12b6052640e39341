"""`fieldcheck evaluations ...`"""
import click

from server.cli.common import CommandGroup, commit
from server.cli.vocabulary import RECUSAL_LEVELS

group = CommandGroup("evaluations", help="Evaluation campaigns.")


@group.command("create")
@click.argument("code")
@click.option("--name", required=True, help="A readable name, e.g. '2020 exit inspection, county X'.")
@click.option("--language", default="zh", type=click.Choice(["zh", "en"]), show_default=True)
def create(code, name, language):
    """Create the evaluation CODE (it appears in ODK Collect URLs)."""
    from server.accounts.evaluations import create_evaluation  # lazy: --help

    evaluation = create_evaluation(code, name, default_language=language)
    commit()
    click.echo(f"created evaluation {evaluation.code}")


@group.command("recusal-level")
@click.argument("code")
@click.argument("level", required=False, type=click.Choice(RECUSAL_LEVELS))
def recusal_level(code, level):
    """Show or set evaluation CODE's recusal level (county or township, ...); setting it re-checks."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.recusal import review  # lazy: --help

    evaluation = get_evaluation(code)
    if level is None:
        click.echo((evaluation.settings or {}).get("recusal_level", "county"))
        return
    queued = review.set_recusal_level(evaluation, level, "cli")
    commit()
    click.echo(f"recusal level {level}; {queued} submission(s) queued for re-checking")


@group.command("list")
def list_():
    """List evaluations."""
    from sqlalchemy import select

    from server.infra.extensions import db  # lazy: --help
    from server.models import Evaluation  # lazy: --help

    for evaluation in db.session.execute(select(Evaluation).order_by(Evaluation.code)).scalars():
        click.echo(f"{evaluation.code}\t{evaluation.name}")

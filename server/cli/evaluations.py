"""`fieldcheck evaluations ...`"""
import click
from sqlalchemy import select

from server.cli.common import CommandGroup, commit
from server.evaluations import create_evaluation
from server.extensions import db
from server.models import Evaluation

group = CommandGroup("evaluations", help="Evaluation campaigns.")


@group.command("create")
@click.argument("code")
@click.option("--name", required=True, help="A readable name, e.g. '2020 exit inspection, county X'.")
@click.option("--language", default="zh", type=click.Choice(["zh", "en"]), show_default=True)
def create(code, name, language):
    """Create the evaluation CODE (it appears in ODK Collect URLs)."""
    evaluation = create_evaluation(code, name, default_language=language)
    commit()
    click.echo(f"created evaluation {evaluation.code}")


@group.command("list")
def list_():
    """List evaluations."""
    for evaluation in db.session.execute(select(Evaluation).order_by(Evaluation.code)).scalars():
        click.echo(f"{evaluation.code}\t{evaluation.name}")

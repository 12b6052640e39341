"""`fieldcheck rules ...`: the rule catalogue and an evaluation's rule settings."""
import json

import click

from server.cli.common import CommandGroup

group = CommandGroup("rules", help="Recusal and quality rules: list them, show an evaluation's settings.")


@group.command("list")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="en", help="language of the titles")
@click.option("--json", "as_json", is_flag=True, help="the catalogue as JSON (as GET /api/v1/rules)")
def list_rules(lang, as_json):
    """Every rule: code, default severity, title, parameters with their defaults."""
    from server.recusal.registry import RULES  # lazy: --help

    if as_json:
        click.echo(json.dumps([r.info.to_dict() for r in RULES], ensure_ascii=False, indent=2))
        return
    for rule in RULES:
        info = rule.info
        title = info.title_zh if lang == "zh" else info.title_en
        params = ", ".join(f"{p.name}={p.default}{p.unit and ' ' + p.unit}" for p in info.params)
        click.echo(f"{info.code}\t{info.severity}\t{title}" + (f"\t[{params}]" if params else ""))


@group.command("settings")
@click.argument("code")
def show_settings(code):
    """The effective rule settings of evaluation CODE, as JSON."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.recusal.settings import effective  # lazy: --help

    click.echo(json.dumps(effective(get_evaluation(code).settings).to_dict(), ensure_ascii=False, indent=2))

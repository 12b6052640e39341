"""`fieldcheck figures CODE` and `fieldcheck backchecks ...`: the figures per area, back-check draws and
the report."""
import json

import click

from server.backchecks import queries as backcheck_queries
from server.backchecks import service as backcheck_service
from server.cli.common import CommandGroup, commit
from server.evaluations import get_evaluation
from server.figures import read

backchecks = CommandGroup("backchecks", help="Back-checks: draw, list, report.")


def _percent(value):
    return "-" if value is None else f"{100 * value:.2f}%"


@click.command("figures")
@click.argument("code")
@click.option("--level", type=click.Choice(read.LEVELS), default="county")
@click.option("--area", default=None, help="a county, township or village code")
@click.option("--json", "as_json", is_flag=True)
def figures_command(code, level, area, as_json):
    """The figures of evaluation CODE at LEVEL: value, numerator/denominator, 95% interval, pass/fail."""
    document = read.figures(get_evaluation(code), level, area)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))
        return
    for line in document["assumptions"]:
        click.echo(f"# {line}")
    for area_row in document["areas"]:
        click.echo(f"{level} {area_row['code'] or code}  interviews={area_row['interviews']}")
        for f in area_row["figures"]:
            ci = f"[{_percent(f['ci95'][0])}, {_percent(f['ci95'][1])}]" if f["ci95"] else "-"
            verdict = {True: "pass", False: "FAIL", None: ""}[f["pass"]]
            counts = f"{f['numerator']}/{f['denominator']}"
            click.echo(f"  {f['title_zh']}\t{_percent(f['value'])}\t{counts}\t{ci}\t{verdict}")


@backchecks.command("draw")
@click.argument("code")
@click.option("--share", type=float, default=None, help="default: the evaluation's setting (0.10)")
@click.option("--seed", default=None, help="default: random (recorded with the draw)")
@click.option("--backchecker", "backcheckers", multiple=True, help="username of the back-check team (repeat)")
def draw(code, share, seed, backcheckers):
    """Draw interviews of evaluation CODE for back-checks and assign them."""
    row, targets = backcheck_service.draw(get_evaluation(code), "cli", share, seed,
                                          list(backcheckers) or None)
    commit()
    click.echo(f"draw {row.id}: seed {row.seed}, share {row.share}, {len(targets)} back-checks assigned")


@backchecks.command("report")
@click.argument("code")
def report(code):
    """Back-check error rates of evaluation CODE, as JSON."""
    click.echo(json.dumps(backcheck_queries.report(get_evaluation(code)), ensure_ascii=False, indent=2))

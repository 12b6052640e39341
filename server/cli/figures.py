"""`fieldcheck figures CODE` and `fieldcheck backchecks ...`: the figures per area, back-check draws and
the report."""
import json

import click

from server.cli import progress
from server.cli.common import CommandGroup, cli_lang, commit, with_app
from server.infra.i18n import msg
from server.cli.vocabulary import FIGURE_LEVELS

backchecks = CommandGroup("backchecks", help="Back-checks: draw, list, report.")


def _percent(value):
    return "-" if value is None else f"{100 * value:.2f}%"


@click.command("figures")
@click.argument("code")
@click.option("--level", type=click.Choice(FIGURE_LEVELS), default="county")
@click.option("--area", default=None, help="a county, township or village code")
@click.option("--json", "as_json", is_flag=True)
@with_app
def figures_command(code, level, area, as_json):
    """The figures of evaluation CODE at LEVEL: value, numerator/denominator, 95% interval, pass/fail, the
    interviews of each figure's population left out (refused, awaiting review, rejected, duplicate,
    encrypted and not checked), its population, and the counting policy in force."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.figures import read  # lazy: --help

    document = read.figures(get_evaluation(code), level, area)
    if as_json:
        click.echo(json.dumps(document, ensure_ascii=False, indent=2, default=str))
        return
    for line in document["assumptions"] + document["policy"]["statement"]:
        click.echo(f"# {line}")
    click.echo(f"# policy: count_statuses={','.join(document['policy']['count_statuses'])} "
               f"awaiting_review={document['policy']['awaiting_review']}")
    if document["encrypted_not_checked"]:
        click.echo(f"# {document['encrypted_not_checked']} encrypted interviews are not checked and not "
                   f"counted until decrypted (fieldcheck decrypt)")
    click.echo("  figure\tvalue\tnumerator/denominator\t95% CI\tverdict\tleft out (refused/awaiting review/"
               "rejected/duplicate/encrypted)\tpopulation")
    for area_row in document["areas"]:
        name = area_row["code"] or (code if area_row["placed"] else "(not placed)")
        work = area_row["fieldwork"]
        click.echo(f"{level} {name}  interviews={area_row['interviews']}  visited={work['visited']} "
                   f"refused={work['refused']} substitutes={work['substitutes']}")
        for f in area_row["figures"]:
            click.echo("  " + "\t".join(_row(f)))


def _row(f):
    from server.figures.rates import LEFT_OUT_REASONS  # lazy: --help

    ci = f"[{_percent(f['ci95'][0])}, {_percent(f['ci95'][1])}]" if f["ci95"] else "-"
    verdict = {True: "pass", False: "FAIL", None: ""}[f["pass"]]
    left = f["left_out"]
    left_out = "/".join(str(left[reason]) for reason in LEFT_OUT_REASONS)
    return [f["title_zh"], _percent(f["value"]), f"{f['numerator']}/{f['denominator']}", ci, verdict,
            left_out, f"{f['population']}; denominator: {f['denominator_rule']}"]


@backchecks.command("draw")
@click.argument("code")
@click.option("--share", type=float, default=None, help="default: the evaluation's setting (0.10)")
@click.option("--seed", default=None, help="default: random (recorded with the draw)")
@click.option("--backchecker", "backcheckers", multiple=True, help="username of the back-check team (repeat)")
def draw(code, share, seed, backcheckers):
    """Draw interviews of evaluation CODE for back-checks and assign them."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.backchecks import service as backcheck_service  # lazy: --help

    evaluation = get_evaluation(code)
    with progress.Bar(msg("drawing back-checks").render(cli_lang())) as bar:
        row, targets = backcheck_service.draw(evaluation, "cli", share, seed, list(backcheckers) or None,
                                              progress=bar)
    commit()
    click.echo(f"draw {row.id}: seed {row.seed}, share {row.share}, {len(targets)} back-checks assigned")
    for missed in row.unassigned:
        click.echo(f"not assigned: {missed['interviews']} interview(s) of {missed['enumerator']}: "
                   f"{missed['reason']}")


@backchecks.command("report")
@click.argument("code")
def report(code):
    """Back-check error rates of evaluation CODE, as JSON."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.backchecks import queries as backcheck_queries  # lazy: --help

    click.echo(json.dumps(backcheck_queries.report(get_evaluation(code)), ensure_ascii=False, indent=2))

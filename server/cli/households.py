"""`fieldcheck households|samples|assignments ...`: the register, its QR cards, samples, assignments."""
import json
from pathlib import Path

import click
from flask import current_app

from server.cli.common import CommandGroup, commit, public_url
from server.errors import Problem
from server.evaluations import get_evaluation
from server.households import assignments as assigning
from server.households import cards, sampling, service, substitutes, tabular, tokens

group = CommandGroup("households", help="The household register (the archive records) and QR cards.")
samples = CommandGroup("samples", help="Reproducible samples drawn from the register.")
assignments = CommandGroup("assignments", help="Assign households or villages to enumerators.")


@group.command("import", help=f"""Import a register file into evaluation CODE, all records or none.

PATH is JSON lines (.jsonl: one API record per line), CSV (.csv, UTF-8) or XLSX (.xlsx).
Errors are printed with their line (row) number; nothing is applied if any record is invalid.

\b
{tabular.__doc__.split(chr(10), 2)[2]}""")
@click.argument("code")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def import_(code, path):
    evaluation = get_evaluation(code)
    with path.open("rb") as stream:
        records, lines = tabular.read_upload(stream, path.name)
    try:
        result = tabular.import_records(evaluation.id, records, lines, actor="cli")
    except Problem as problem:
        for d in problem.details:
            click.echo(f"line {d.get('line')}: {d['field']}: {d['message']}", err=True)
        raise
    click.echo(json.dumps(result))


@group.command("reissue-card")
@click.argument("code")
@click.argument("archive_id")
def reissue_card(code, archive_id):
    """Revoke the QR card of household ARCHIVE_ID and print the new card's URL."""
    household = service.get_household(get_evaluation(code).id, archive_id)
    token, revoked = tokens.revoke(household, actor="cli", reissue=True)
    commit()
    click.echo(f"revoked {len(revoked)} card(s); new card: {tokens.card_url(token, public_url())}")


@group.command("cards")
@click.argument("code")
@click.argument("village_code")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
def cards_(code, village_code, out):
    """Write the print sheet (HTML) of the QR cards of village VILLAGE_CODE."""
    evaluation = get_evaluation(code)
    with current_app.test_request_context():
        html = cards.render_sheet(evaluation, village_code, base_url=public_url())
    out.write_text(html, encoding="utf-8")
    count = html.count('class="card"')
    click.echo(f"wrote {out} ({count} cards)")


@samples.command("draw")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--seed", help="Reuse a recorded seed to reproduce a draw; default: a fresh one.")
@click.option("--method", type=click.Choice(("random", "systematic")), default="random")
@click.option("--size", type=int, help="Households per stratum.")
@click.option("--share", type=float, help="Share of each stratum, e.g. 0.2.")
@click.option("--per-village", is_flag=True, help="Strata per village (and exited / not exited).")
@click.option("--village", "villages", multiple=True, help="Limit the frame to this village code.")
@click.option("--screening-villages", type=int, default=0, help="Villages to draw for 漏评 screening.")
def draw(code, name, seed, method, size, share, per_village, villages, screening_villages):
    """Draw a sample from evaluation CODE's register; prints the seed and the units."""
    design = {"method": method, "per_village": per_village, "screening_villages": screening_villages}
    design.update({k: v for k, v in (("size", size), ("share", share)) if v is not None})
    if villages:
        design["village_codes"] = list(villages)
    sample = sampling.draw_sample(get_evaluation(code), name, design, actor="cli", seed=seed)
    commit()
    click.echo(f"sample {sample.id} seed={sample.seed}")


@samples.command("substitute")
@click.argument("code")
@click.argument("sample_id", type=int)
@click.argument("unit_id", type=int)
@click.option("--reason", required=True, type=click.Choice(sampling.REASONS))
@click.option("--note", default="")
def substitute(code, sample_id, unit_id, reason, note):
    """Replace unit UNIT_ID of sample SAMPLE_ID (absent, refused, ...) with a drawn substitute."""
    sample = substitutes.get_sample(get_evaluation(code).id, sample_id)
    unit = substitutes.substitute(sample, unit_id, reason, "cli", note)
    commit()
    click.echo(f"unit {unit.id} replaces unit {unit_id}")


@assignments.command("create")
@click.argument("code")
@click.argument("enumerator")
@click.option("--household", "archive_id", help="Archive id of the household to assign.")
@click.option("--village", "village_code", help="Or a village code (漏评 screening).")
@click.option("--override", "justification",
              help="Assign despite a recusal refusal; this written justification goes to the audit log.")
def create_assignment(code, enumerator, archive_id, village_code, justification):
    """Assign a household (--household) or a village (--village) of CODE to ENUMERATOR.

    Refused when the enumerator comes from the same place at the evaluation's recusal level
    (settings recusal_level, default county) unless --override gives a justification (the CLI acts
    as an admin).
    """
    evaluation = get_evaluation(code)
    household = service.get_household(evaluation.id, archive_id) if archive_id else None
    row = assigning.assign(evaluation, assigning.get_enumerator(evaluation.id, enumerator), "cli",
                           household=household, village_code=village_code, justification=justification,
                           actor_is_admin=True)
    commit()
    click.echo(f"assignment {row.id}" + (" (recusal overridden)" if row.override_justification else ""))

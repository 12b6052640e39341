"""`fieldcheck samples draw|list|show|substitute`: reproducible samples drawn from the register."""
import click

from server.cli.common import CommandGroup, commit
from server.cli.vocabulary import SAMPLE_REASONS

group = CommandGroup("samples", help="Reproducible samples drawn from the register.")


@group.command("draw")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--seed", help="Reuse a recorded seed to reproduce a draw; default: a fresh one.")
@click.option("--method", type=click.Choice(("random", "systematic")), default="random")
@click.option("--size", type=int, help="Households per stratum.")
@click.option("--share", type=float, help="Share of each stratum, e.g. 0.2.")
@click.option("--size-exited", type=int, help="Households per stratum of exited households (overrides).")
@click.option("--size-not-exited", type=int, help="Households per stratum of the others (overrides).")
@click.option("--per-village", is_flag=True, help="Strata per village (and exited / not exited).")
@click.option("--village", "villages", multiple=True, help="Limit the frame to this village code.")
@click.option("--screening-villages", type=int, default=0, help="Villages to draw for 漏评 screening.")
def draw(code, name, seed, method, size, share, size_exited, size_not_exited, per_village, villages,
         screening_villages):
    """Draw a sample from evaluation CODE's register; prints the seed, the units per stratum and how to
    see them."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import samples as sample_reads  # lazy: --help
    from server.households import sampling  # lazy: --help

    design = {"method": method, "per_village": per_village, "screening_villages": screening_villages}
    design.update({k: v for k, v in (("size", size), ("share", share)) if v is not None})
    sizes = {k: v for k, v in (("exited", size_exited), ("not_exited", size_not_exited)) if v is not None}
    if sizes:
        design["sizes"] = sizes
    if villages:
        design["village_codes"] = list(villages)
    sample = sampling.draw_sample(get_evaluation(code), name, design, actor="cli", seed=seed)
    commit()
    strata = sample_reads.strata_summary(sample)
    click.echo(f"sample {sample.id} '{sample.name}' seed={sample.seed}: {sum(strata.values())} units")
    for stratum, count in strata.items():
        click.echo(f"  {stratum:<40} {count:>6}")
    click.echo(f"units: fieldcheck samples show {code} {sample.id}; the same seed draws the same units")


@group.command("list")
@click.argument("code")
def list_samples(code):
    """The samples of evaluation CODE, newest first."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import samples as sample_reads  # lazy: --help

    rows = sample_reads.list_samples(get_evaluation(code).id)
    if not rows:
        click.echo(f"no sample yet: fieldcheck samples draw {code} --name NAME --share 0.2")
        return
    click.echo(f"{'id':>5}  {'households':>10}  {'villages':>8}  {'replaced':>8}  {'seed':<16}  name")
    for row in rows:
        click.echo(f"{row['id']:>5}  {row['households']:>10}  {row['villages']:>8}  {row['replaced']:>8}  "
                   f"{row['seed']:<16}  {row['name']}")


@group.command("show")
@click.argument("code")
@click.argument("sample_id", type=int)
def show(code, sample_id):
    """The units of sample SAMPLE_ID: stratum, household or village, outcome, substitute, assigned to."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import samples as sample_reads  # lazy: --help
    from server.households import substitutes  # lazy: --help

    sample = substitutes.get_sample(get_evaluation(code).id, sample_id)
    click.echo(f"sample {sample.id} '{sample.name}' seed={sample.seed} design={sample.design}")
    click.echo(f"{'unit':>7}  {'stratum':<32} {'rank':>4}  {'household / village':<20} {'outcome':<10} "
               f"{'replaces':>8}  assigned to")
    for row in sample_reads.unit_rows(sample_reads.units_of(sample)):
        target = row["archive_id"] or f"village {row['village_code']}"
        click.echo(f"{row['id']:>7}  {row['stratum']:<32} {row['rank']:>4}  {target:<20} "
                   f"{row['outcome'] or '-':<10} {row['substitute_for_id'] or '-':>8}  "
                   f"{', '.join(row['assigned_to']) or '-'}")


@group.command("coverage")
@click.argument("code")
@click.argument("sample_id", type=int)
def coverage_command(code, sample_id):
    """How far sample SAMPLE_ID has come: live units, assigned, interviewed, missing, per stratum."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import coverage, substitutes  # lazy: --help

    state = coverage.coverage(substitutes.get_sample(get_evaluation(code).id, sample_id))
    names = ("units", "assigned", "interviewed", "missing", "unassigned", "replaced")
    click.echo(f"{'stratum':<32} " + " ".join(f"{n:>11}" for n in names))
    for stratum, counts in [*state["strata"].items(), ("total", state["totals"])]:
        click.echo(f"{stratum:<32} " + " ".join(f"{counts[n]:>11}" for n in names))
    totals = state["totals"]
    if totals["screening_villages"]:
        click.echo(f"screening villages: {totals['screening_villages']}, "
                   f"assigned {totals['screening_assigned']}")


@group.command("substitute")
@click.argument("code")
@click.argument("sample_id", type=int)
@click.argument("unit_id", type=int)
@click.option("--reason", required=True, type=click.Choice(SAMPLE_REASONS))
@click.option("--note", default="")
def substitute(code, sample_id, unit_id, reason, note):
    """Replace unit UNIT_ID of sample SAMPLE_ID (absent, refused, ...) with a drawn substitute."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import substitutes  # lazy: --help

    sample = substitutes.get_sample(get_evaluation(code).id, sample_id)
    unit = substitutes.substitute(sample, unit_id, reason, "cli", note)
    commit()
    click.echo(f"unit {unit.id} replaces unit {unit_id}")

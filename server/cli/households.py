"""`fieldcheck households|assignments ...`: the register, its QR cards, assignments."""
import json
from pathlib import Path

import click

from server.cli import progress
from server.cli.common import CommandGroup, cli_lang, commit, public_url
from server.cli.params import ExistingFile
from server.cli.vocabulary import REGISTER_LAYOUT
from server.infra.errors import Problem
from server.infra.i18n import msg

group = CommandGroup("households", help="The household register (the archive records) and QR cards.")
assignments = CommandGroup("assignments", help="Assign households or villages to enumerators.")


@group.command("import", help=f"""Import a register file into evaluation CODE, all records or none.

PATH is JSON lines (.jsonl: one API record per line), CSV (.csv, UTF-8) or XLSX (.xlsx).
Errors are printed with their line (row) number; nothing is applied if any record is invalid.

\b
{REGISTER_LAYOUT}""")
@click.argument("code")
@click.argument("path", type=ExistingFile(as_path=True))
def import_(code, path):
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import tabular  # lazy: --help

    evaluation, lang = get_evaluation(code), cli_lang()
    with progress.Bar(msg("importing %(name)s", name=path.name).render(lang)) as bar:
        bar(0, 0, msg("reading the file"))
        with path.open("rb") as stream:
            records, lines = tabular.read_upload(stream, path.name)
        try:
            result = tabular.import_records(evaluation.id, records, lines, actor="cli", progress=bar)
        except Problem as problem:
            for d in problem.localized_details(lang):
                click.echo(msg("line %(line)s: %(field)s: %(message)s", line=d.get("line"), field=d["field"],
                               message=d["message"]).render(lang), err=True)
            raise
    click.echo(json.dumps(result))


@group.command("search")
@click.argument("code")
@click.argument("text", required=False, default="")
@click.option("--village", "village_code", help="Only this village (12-digit code).")
@click.option("--status", type=click.Choice(("not_exited", "exited", "returned")))
@click.option("--limit", type=click.IntRange(1, 1000), default=50, show_default=True)
def search_command(code, text, village_code, status, limit):
    """Households of CODE whose household or village code starts with TEXT, or whose head's or village's
    name holds it (all households without TEXT), in household-code order."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import search  # lazy: --help

    rows, cursor = search.search(get_evaluation(code).id, text, village_code, status, limit=limit, brief=True)
    for h in rows:
        withdrawn = "  withdrawn" if h.withdrawn_at else ""
        click.echo(f"{h.archive_id:<20} {h.head_name:<10} {h.village} ({h.village_code})  {h.status:<10} "
                   f"{h.member_count} members{withdrawn}")
    if not rows:
        click.echo("no household matches")
    elif cursor:
        click.echo("... more: raise --limit (at most 1000) or narrow the search")


@group.command("show")
@click.argument("code")
@click.argument("archive_id")
def show_command(code, archive_id):
    """One household of CODE: its record, members (ID numbers masked), card, assignments and interviews."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import search, service  # lazy: --help
    from server.recusal import interview_table  # lazy: --help

    evaluation = get_evaluation(code)
    household = service.get_household(evaluation.id, archive_id)
    record = household.record or {}
    click.echo(f"{household.archive_id}  {household.head_name}  {record.get('province', '')} "
               f"{household.county} {household.township} {household.village} ({household.village_code})")
    click.echo(f"status {household.status}  registered {household.registration_year}  exited "
               f"{household.exit_year or '-'}  version {household.version}"
               + ("  WITHDRAWN" if household.withdrawn_at else ""))
    click.echo(f"card: {search.card_state(household)}")
    for m in record.get("members", ()):
        click.echo(f"  {m['name']:<8} {m['relation']:<10} {m['sex']:<6} {m['birth_date']}  "
                   f"{m.get('id_number_masked') or '-'}")
    held = search.assignments_of(household)
    click.echo("assigned to: " + (", ".join(a["enumerator"] for a in held) or "-"))
    interviews, _ = interview_table.page(evaluation, {"household": archive_id})
    for row in interviews:
        click.echo(f"  interview {row['instance_id']}  {row['day'] or '-'}  {row['review_status'] or '-'}  "
                   f"{row['findings']} findings  {row['username'] or '-'}")
    if not interviews:
        click.echo("no interview yet")


@group.command("villages")
@click.argument("code")
def villages_command(code):
    """The villages of CODE's register with their active households (for `households cards`)."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import search  # lazy: --help

    for v in search.villages(get_evaluation(code).id):
        click.echo(f"{v['village_code']}  {v['households']:>6}  {v['township']} {v['village']}")


@group.command("reissue-card")
@click.argument("code")
@click.argument("archive_id")
def reissue_card(code, archive_id):
    """Revoke the QR card of household ARCHIVE_ID and print the new card's URL."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import service, tokens  # lazy: --help

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
    from flask import current_app

    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import cards  # lazy: --help

    evaluation = get_evaluation(code)
    with current_app.test_request_context():
        html = cards.render_sheet(evaluation, village_code, base_url=public_url())
    out.write_text(html, encoding="utf-8")
    count = html.count('class="card"')
    click.echo(f"wrote {out} ({count} cards)")


@group.command("template")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def template_command(path):
    """Write an empty register file to PATH (.xlsx or .csv) with the columns `households import` reads.

    An .xlsx holds the register sheet (drop-downs on coded columns) and a notes sheet with each
    column's allowed values; a .csv gets the notes beside it, as PATH-notes.csv.
    """
    from server.households import template as register_template  # lazy: --help

    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise click.BadParameter(msg("Name the file .xlsx or .csv.").render(cli_lang()), param_hint="PATH")
    with path.open("wb") as stream:
        (register_template.write_xlsx if suffix == ".xlsx" else register_template.write_csv)(stream)
    click.echo(f"{len(register_template.columns())} columns")
    if suffix == ".csv":
        notes = path.with_name(f"{path.stem}-notes.csv")
        with notes.open("wb") as stream:
            register_template.write_notes_csv(stream)
        click.echo(f"the allowed values of each column: {notes}")
    click.echo(str(path))


@assignments.command("create")
@click.argument("code")
@click.argument("enumerator")
@click.option("--household", "archive_id", help="Archive id of the household to assign.")
@click.option("--village", "village_code", help="Or a village code (漏评 screening).")
@click.option("--sample", "sample_id", type=int, help="Or a sample: its live units (or those of --unit).")
@click.option("--unit", "unit_ids", type=int, multiple=True,
              help="With --sample: only this unit (repeatable).")
@click.option("--override", "justification",
              help="Assign despite a recusal refusal; this written justification goes to the audit log.")
def create_assignment(code, enumerator, archive_id, village_code, sample_id, unit_ids, justification):
    """Assign a household (--household), a village (--village) or a sample's units (--sample) of CODE to
    ENUMERATOR.

    Refused when the enumerator comes from the same place at the evaluation's recusal level
    (settings recusal_level, default county) unless --override gives a justification (the CLI acts
    as an admin). A sample is assigned whole or not at all: every refused unit is named.
    """
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.households import assignments as assigning  # lazy: --help
    from server.households import samples as sample_reads  # lazy: --help
    from server.households import service, substitutes  # lazy: --help

    evaluation = get_evaluation(code)
    person = assigning.get_enumerator(evaluation.id, enumerator)
    if sample_id is not None:
        sample = substitutes.get_sample(evaluation.id, sample_id)
        rows = sample_reads.assign_units(evaluation, sample, person, "cli", list(unit_ids) or None,
                                         justification, actor_is_admin=True)
        commit()
        click.echo(f"{len(rows)} units of sample {sample.id} assigned to {person.username}")
        return
    household = service.get_household(evaluation.id, archive_id) if archive_id else None
    row = assigning.assign(evaluation, person, "cli", household=household, village_code=village_code,
                           justification=justification, actor_is_admin=True)
    commit()
    click.echo(f"assignment {row.id}" + (" (recusal overridden)" if row.override_justification else ""))

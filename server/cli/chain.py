"""`fieldcheck chain ...`: verify an evaluation's evidence chain, print its daily digest, sweep by hand."""
import json
import time

import click

from server.cli.common import CommandGroup, commit

group = CommandGroup("chain", help="The evidence chain: verify it, export its daily digest.")


@group.command("verify")
@click.argument("code")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def verify(code, as_json):
    """Walk CODE's chain up to its current head against the stored rows and files; exit 1 on a mismatch."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.evidence.verify import verify as verify_chain  # lazy: --help

    result = verify_chain(get_evaluation(code).id)
    if as_json:
        click.echo(json.dumps(result.as_dict(), ensure_ascii=False))
    elif result.ok:
        click.echo(f"chain of {code} verified: {result.checked} entries, head {result.head_hash}")
    else:
        bad = result.mismatch
        click.echo(f"chain of {code} broken at entry {bad.seq} ({bad.kind} {bad.source_id}, {bad.what}): "
                   f"{bad.detail}; {result.checked} entries before it verified")
    if not result.ok:
        raise SystemExit(1)


@group.command("digest")
@click.argument("code")
@click.option("--date", "day", default=None, help="YYYY-MM-DD (China time); default today.")
@click.option("--json", "as_json", is_flag=True, help="Print the digest as JSON.")
def digest(code, day, as_json):
    """The chain's head at the end of a day: its entry count and hash, to keep outside fieldcheck."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.evidence import digest as chain_digest  # lazy: --help

    found = chain_digest.digest(get_evaluation(code), chain_digest.parse_day(day) if day else None)
    click.echo(json.dumps(found, ensure_ascii=False) if as_json else found["statement"])


@group.command("sweep")
@click.argument("code", required=False)
@click.option("--everything", is_flag=True, help="Look at every row, not only the newest (a repair).")
@click.option("--every", type=float, default=None, help="Repeat every SECONDS until stopped.")
def sweep(code, everything, every):
    """Chain what is not chained yet, now (the worker does this on its own; this is for repairs)."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.evidence import sweep as chain_sweep  # lazy: --help
    from server.infra.extensions import db  # lazy: --help
    from server.models import Evaluation  # lazy: --help

    while True:
        ids = ([get_evaluation(code).id] if code
               else list(db.session.execute(db.select(Evaluation.id)).scalars()))
        total = 0
        for evaluation_id in ids:
            while (count := chain_sweep.sweep(evaluation_id, everything=everything)):
                commit()
                total += count
        commit()
        if every is None:
            click.echo(f"{total} entr{'y' if total == 1 else 'ies'} appended")
            return
        time.sleep(every)


@group.command("household-file")
@click.argument("code")
@click.argument("archive_id")
@click.option("--out", "out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="Where to write the ZIP (default: CODE-ARCHIVE_ID.zip here).")
def household_file_command(code, archive_id, out):
    """One file per household (一户一档): its interviews, media, findings, decisions and the chain entries
    that prove them, as a ZIP an archivist can check offline with `chain check-file`."""
    from server.accounts import audit  # lazy: --help
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.feed import household_file  # lazy: --help

    evaluation = get_evaluation(code)
    household = household_file.find_household(evaluation, archive_id)
    out = out or f"{code}-{archive_id}.zip"
    with open(out, "wb") as stream:
        manifest = household_file.write(evaluation, household, stream, "cli")
    audit.record("cli", "household.file", f"household:{archive_id}", {}, evaluation.id)
    commit()
    click.echo(f"{out}: {len(manifest['interviews'])} interview(s), {len(manifest['chain_entries'])} chain "
               f"entr{'y' if len(manifest['chain_entries']) == 1 else 'ies'}, {len(manifest['files'])} files"
               + (f"; {len(manifest['missing_files'])} media file(s) missing from the store"
                  if manifest["missing_files"] else ""))


@group.command("check-file")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def check_file(path):
    """Check a household file offline (no database): every file against its manifest and the chain
    entries, every entry's hashes recomputed; exit 1 and name each problem otherwise."""
    from server.evidence import household_check  # lazy: --help

    problems = household_check.check(path)
    for problem in problems:
        click.echo(problem)
    if problems:
        raise SystemExit(1)
    click.echo(f"{path}: household file verified")

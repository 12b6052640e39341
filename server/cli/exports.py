"""`fieldcheck export CODE FORM_ID`: the same export as the API's, run in this process with a progress
bar on a terminal; the written file's path is the last line.
`fieldcheck report CODE`: the evaluation report."""
import os
import shutil
import uuid

import click

from server.cli import progress
from server.cli.common import cli_lang, commit, describe_problem, with_app
from server.cli.params import ExistingFile
from server.cli.vocabulary import (EXPORT_FORMATS, EXPORT_LABELS, EXPORT_TABLES, REPORT_FORMATS,
                                   REPORT_LANGUAGES)
from server.infra.errors import Problem
from server.infra.i18n import msg


@click.command("export")
@click.argument("code")
@click.argument("form_id")
@click.option("--format", "fmt", type=click.Choice(EXPORT_FORMATS), default="csv")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="where to write the file (default: the export store, kept EXPORT_KEEP_HOURS)")
@click.option("--labels", type=click.Choice(EXPORT_LABELS), default="zh-Hans")
@click.option("--tables", type=click.Choice(EXPORT_TABLES), default="csv",
              help="tables inside a ZIP")
@click.option("--bom", is_flag=True, help="start CSV files with a UTF-8 BOM (Excel on Windows)")
@click.option("--status", "statuses", multiple=True, help="review status to include (repeat)")
@click.option("--village", default=None)
@click.option("--enumerator", default=None)
@click.option("--rule", default=None, help="a rule code found in the current run")
@click.option("--from", "date_from", default=None, help="first interview day, YYYY-MM-DD")
@click.option("--to", "date_to", default=None, help="last interview day, YYYY-MM-DD")
@click.option("--private-key", type=ExistingFile(), default=None,
              help="PEM private key of an encrypted form (passphrase from FIELDCHECK_KEY_PASSPHRASE)")
@with_app
def export_command(code, form_id, fmt, out, labels, tables, bom, statuses, village, enumerator, rule,
                   date_from, date_to, private_key):
    """Export the interviews of form FORM_ID (all its versions) of evaluation CODE."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.exports import files, request as export_request  # lazy: --help
    from server.infra.extensions import db  # lazy: --help
    from server.models import JobRecord  # lazy: --help

    evaluation = get_evaluation(code)
    filters = {"status": list(statuses), "village": village, "enumerator": enumerator, "rule": rule,
               "date_from": date_from, "date_to": date_to}
    body = {"form": form_id, "format": fmt, "labels": labels, "tables": tables, "bom": bom,
            "filters": {k: v for k, v in filters.items() if v}}
    try:
        _, params = export_request.checked(evaluation, body)
        key = _key(private_key)
    except Problem as problem:
        raise click.UsageError(describe_problem(problem)) from None
    job = JobRecord(id=str(uuid.uuid4()), evaluation_id=evaluation.id, kind=files.KIND,
                    params={**params, "actor": "cli"}, state="running", message="running")
    db.session.add(job)
    commit()
    try:
        result = _run(job, key)
    except BaseException as exc:
        db.session.rollback()
        job.state, job.message, job.error = "failed", "failed", str(exc)[:2000]
        commit()
        raise
    job.state, job.progress, job.message, job.result = "done", 100, "exported", result
    commit()
    path = files.absolute(result["file"])
    if out:
        shutil.copyfile(path, out)
        path = os.path.abspath(out)
    counts = ", ".join(f"{status} {n}" for status, n in sorted(result["statuses"].items())) or "none"
    click.echo(f"{result['interviews']} interviews (statuses: {counts}); rows {result['rows']}", err=True)
    click.echo(path)


def _key(path):
    from server.submissions import decryption  # lazy: --help

    if not path:
        return None
    with open(path, "rb") as handle:
        return decryption.load_private_key(handle.read(), os.environ.get("FIELDCHECK_KEY_PASSPHRASE"))


def _run(job, key):
    from server.exports import service  # lazy: --help

    with progress.Bar(msg("exporting").render(cli_lang())) as bar:  # plain lines off a terminal (logs)
        return service.run(job, key=key, progress=lambda percent, phase, *counts: bar(percent, 100, phase))


@click.command("report")
@click.argument("code")
@click.option("--format", "fmt", type=click.Choice(REPORT_FORMATS), default="html")
@click.option("--lang", type=click.Choice(REPORT_LANGUAGES), default="zh")
@click.option("--out", type=click.Path(dir_okay=False, writable=True), default=None,
              help="default: CODE-report-LANG.FORMAT in the current folder")
@with_app
def report_command(code, fmt, lang, out):
    """The evaluation report of CODE (两率一度, flagged households, findings, back-checks, method)."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.reports import service as report_service  # lazy: --help

    body, _, name = report_service.render(get_evaluation(code), fmt, lang)
    path = os.path.abspath(out or name)
    with open(path, "wb") as handle:
        handle.write(body)
    click.echo(path)

"""`fieldcheck audit CODE`: the evaluation's audit log, newest first, filtered as on the dashboard's page."""
import json

import click

from server.cli.common import with_app
from server.cli.vocabulary import AUDIT_PAGE


@click.command("audit")
@click.argument("code")
@click.option("--actor", help="A username, or an actor as logged (token:3, cli).")
@click.option("--action", help="An action (user.create) or a family (user).")
@click.option("--since", help="First China day, YYYY-MM-DD.")
@click.option("--until", help="Last China day, YYYY-MM-DD.")
@click.option("--after", help="Where the page before ended (the cursor printed at its end).")
@click.option("--limit", type=int, default=AUDIT_PAGE, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@with_app
def audit_command(code, actor, action, since, until, after, limit, as_json):
    """The audit log of evaluation CODE, newest first; the last line names the next page's cursor."""
    from server.accounts import audit_log  # lazy: --help
    from server.accounts.evaluations import get_evaluation  # lazy: --help

    rows, cursor = audit_log.entries(get_evaluation(code), actor, action, since, until, after, limit)
    for entry in rows:
        if as_json:
            click.echo(json.dumps(audit_log.as_dict(entry), ensure_ascii=False, default=str))
        else:
            details = json.dumps(entry.details or {}, ensure_ascii=False, default=str)
            click.echo(f"{entry.id}\t{entry.at.isoformat(timespec='seconds')}\t{entry.actor}\t{entry.action}"
                       f"\t{entry.target}\t{details}")
    if cursor:
        click.echo(f"more: --after {cursor}")

"""`fieldcheck decrypt CODE --private-key PATH`: a decryption run in this process, the same as the API's:
the encrypted interviews waiting unchecked are opened with the form's private key (passphrase from
FIELDCHECK_KEY_PASSPHRASE), a page at a time, and queued to be checked and counted. The key is read for
this run only and stored nowhere."""
import os

import click

from server.cli.common import cli_lang, commit, describe_problem, with_app
from server.infra.errors import Problem

SUMMARY = {"en": "decrypted {decrypted}, could not be opened {failed}, another key's {not_opened}; "
                 "{queued} queued to be checked",
           "zh": "已解密 {decrypted} 份，无法打开 {failed} 份，属其他密钥 {not_opened} 份；{queued} 份已排队检查"}


@click.command("decrypt")
@click.argument("code")
@click.option("--private-key", "key_path", required=True, type=click.Path(dir_okay=False),
              help="PEM private key of the encrypted form (passphrase from FIELDCHECK_KEY_PASSPHRASE)")
@click.option("--form", "form_id", default=None, help="only this form_id's interviews")
@with_app
def decrypt_command(code, key_path, form_id):
    """Decrypt the encrypted interviews of CODE that wait unchecked, so they are checked and counted."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.submissions import decryption_run  # lazy: --help

    evaluation = get_evaluation(code)
    try:
        key = _key(key_path)
    except (OSError, Problem) as error:
        message = describe_problem(error) if isinstance(error, Problem) else str(error)
        raise click.UsageError(message) from None
    totals = {"decrypted": 0, "failed": 0, "not_opened": 0, "queued": 0}
    after = 0
    while True:
        result = decryption_run.run(evaluation, key, "cli", form_id, after)
        commit()
        for failure in result.failed:
            click.echo(f"{failure['instance_id']}\t{failure['code']}\t{failure['message']}", err=True)
        totals["failed"] += len(result.failed)
        for name in ("decrypted", "not_opened", "queued"):
            totals[name] += getattr(result, name)
        if result.next_cursor is None:
            break
        after = result.next_cursor
    click.echo(SUMMARY.get(cli_lang(), SUMMARY["en"]).format(**totals))


def _key(path):
    from server.submissions import decryption  # lazy: --help

    with open(path, "rb") as handle:
        return decryption.load_private_key(handle.read(), os.environ.get("FIELDCHECK_KEY_PASSPHRASE"))

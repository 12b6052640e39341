"""A Problem as the CLI prints it: the message in the user's language, where it is (sheet, row,
column, field or unit), and what to do next; and the error line itself ("Error:" / "错误：")."""
import click

from server.cli import hints
from server.cli.lang import cli_lang
from server.infra.i18n import msg

LABEL = {"zh": "错误：", "en": "Error: "}


class CommandFailed(click.ClickException):
    """A ClickException whose "Error:" is in the user's language (click's own is English). The language
    is taken when it is raised: click shows it after the command's context has ended."""

    def __init__(self, message, lang=None):
        super().__init__(message)
        self.lang = lang or cli_lang()

    def show(self, file=None):
        click.echo(f"{LABEL[self.lang]}{self.format_message()}", file=file, err=file is None)


def describe_problem(problem, lang=None):
    """'message [code]', then one indented line per detail (where: sheet, row, column, field or unit),
    then what to do next (server/cli/hints.py)."""
    lang = lang or cli_lang()
    message = problem.localized(lang)
    lines = [f"{message} [{problem.code}]"]
    for d in (d for d in problem.localized_details(lang) if d.get("message") and d["message"] not in message):
        where = ", ".join(str(p) for p in (d.get("sheet"), d.get("row") and f"row {d['row']}",
                                           d.get("column"), d.get("field"),
                                           d.get("unit") and f"unit {d['unit']}") if p)
        lines.append(f"  {where + ': ' if where else ''}{d.get('message', '')} [{d.get('code', '')}]")
    hint = hints.hint(problem, lang)
    if hint:
        lines.append(msg("What to do: %(hint)s", hint=hint).render(lang))
    return "\n".join(lines)

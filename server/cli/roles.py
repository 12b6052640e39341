"""`fieldcheck roles`: the one role table (server/accounts/roles.py), as the API and the dashboard read it."""
import click

from server.accounts.roles import COLUMNS, NAMES, table
from server.cli.common import cli_lang

YES, NO = "✓", "—"
HEADINGS = {"zh": ("操作", "内容"), "en": ("action", "what it covers")}


@click.command("roles")
@click.option("--markdown", is_flag=True, help="The table as in the README's Roles section.")
def roles_command(markdown):
    """What each role and token scope may do in its evaluation."""
    click.echo(markdown_table() if markdown else text_table(cli_lang()))


def text_table(lang):
    """Aligned columns in `lang` (zh or en): the action, a mark per role, what the action covers."""
    index = 0 if lang == "zh" else 1
    action_heading, about_heading = HEADINGS[lang]
    heads = [action_heading, *(NAMES[c][index] for c in COLUMNS), about_heading]
    rows = [[action, *(YES if may[c] else NO for c in COLUMNS), (zh, en)[index]]
            for action, zh, en, may in table()]
    widths = [max(_width(r[i]) for r in [heads, *rows]) for i in range(len(heads) - 1)]
    return "\n".join("  ".join(_pad(cell, w) for cell, w in zip(row, widths)) + "  " + row[-1]
                     for row in [heads, *rows])


def markdown_table():
    heads = ["action", *COLUMNS, "操作内容", "what it covers"]
    lines = ["| " + " | ".join(heads) + " |", "|" + "---|" * len(heads)]
    for action, zh, en, may in table():
        cells = [f"`{action}`", *(YES if may[c] else NO for c in COLUMNS), zh, en]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _width(text):
    """Columns on a terminal: a CJK character takes two."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _pad(text, width):
    return text + " " * (width - _width(text))

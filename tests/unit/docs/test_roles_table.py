"""The README's Roles table is the one in server/accounts/roles.py, and `fieldcheck roles` prints it in
both languages: a change to either that is not made to the other fails here."""
import pathlib
import re

import pytest
from click.testing import CliRunner

from server.accounts import roles
from server.cli import main

README = pathlib.Path(__file__).resolve().parents[3] / "README.md"


def _readme_rows():
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Roles\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("|")]
    heads = [c.strip() for c in lines[0].strip("|").split("|")]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:]]
    return heads, rows


def test_the_readme_table_is_the_code_table():
    heads, rows = _readme_rows()
    assert heads[1:6] == list(roles.COLUMNS)
    written = [(cells[0].strip("`"), cells[6], cells[7],
                {c: cells[1 + i] == "✓" for i, c in enumerate(heads[1:6])}) for cells in rows]
    assert written == roles.table()
    assert all(cell in ("✓", "—") for cells in rows for cell in cells[1:6])


def test_the_table_says_what_the_issue_asks():
    # an admin manages users, roles and settings; a supervisor runs the fieldwork; a viewer reads
    assert all(roles.allowed("admin", a) for a in ("users", "settings", "override_recusal"))
    fieldwork = ("forms", "enumerators", "register", "samples", "review", "export")
    assert all(roles.allowed("supervisor", a) for a in fieldwork)
    assert not any(roles.allowed("supervisor", a) for a in ("users", "settings"))
    assert [a for a in roles.ACTIONS if roles.allowed("viewer", a)] == ["read"]
    assert not roles.allowed(None, "read") and not roles.allowed("token:read", "register")
    with pytest.raises(KeyError):
        roles.allowed("admin", "everything")


@pytest.mark.parametrize("lang, index", [("zh", 0), ("en", 1)])
def test_fieldcheck_roles_prints_the_table_in_the_chosen_language(lang, index):
    result = CliRunner().invoke(main, ["--lang", lang, "roles"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert [roles.NAMES[c][index] in lines[0] for c in roles.COLUMNS] == [True] * len(roles.COLUMNS)
    for (action, zh, en, may), line in zip(roles.table(), lines[1:]):
        marks = re.findall(r"[✓—]", line.split("  ", 1)[1])[:len(roles.COLUMNS)]
        assert line.startswith(action + " ") and line.endswith((zh, en)[index])
        assert marks == ["✓" if may[c] else "—" for c in roles.COLUMNS]


def test_the_markdown_it_prints_is_the_readme_table():
    result = CliRunner().invoke(main, ["roles", "--markdown"])
    assert result.output.strip() in README.read_text(encoding="utf-8")

"""Build the shipped .xlsx questionnaires from their Markdown sources.

The .md files are the source of truth because a diff of them shows what changed; the
.xlsx files are for evaluators who start their own questionnaire in Excel. A test
compiles both and fails if they drift. Run:  python forms/xlsform/build.py
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).resolve().parent


def read_md(text: str) -> dict[str, list[list[str]]]:
    """pyxform's Markdown layout: a row whose first cell is filled starts a sheet."""
    sheets: dict[str, list[list[str]]] = {}
    current: list[list[str]] | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("|"):
            continue
        cells = [c.strip() for c in line[1:-1].split("|")]
        if cells[0]:
            current = sheets.setdefault(cells[0], [])
        elif current is not None:
            current.append(cells[1:])
    return sheets


def to_workbook(sheets: dict[str, list[list[str]]]) -> Workbook:
    """Every cell is written as text so the .xlsx reads exactly like the .md."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=name)
        for row in rows:
            ws.append([cell if cell else None for cell in row])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        ws.freeze_panes = "A2"
        for column in ws.columns:
            width = max((len(str(c.value or "")) for c in column), default=8)
            ws.column_dimensions[column[0].column_letter].width = min(max(width, 8), 60)
    return wb


def build(md_path: Path, out_dir: Path | None = None) -> Path:
    """Write <name>.xlsx beside the source (or into out_dir); return its path."""
    out = (out_dir or md_path.parent) / (md_path.stem + ".xlsx")
    to_workbook(read_md(md_path.read_text(encoding="utf-8"))).save(out)
    return out


def main(argv: list[str]) -> None:
    sources = [Path(a) for a in argv] or sorted(HERE.glob("*.md"))
    for source in sources:
        print(build(source))


if __name__ == "__main__":
    main(sys.argv[1:])

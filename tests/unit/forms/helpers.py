"""Shared helpers for the forms/ unit tests: fixture paths, XLSForm builders, XForm parsing."""

from __future__ import annotations

import io
from pathlib import Path

from lxml import etree
from openpyxl import Workbook

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / "tests" / "data" / "xlsform"
SHIPPED = REPO / "forms" / "xlsform"

NS = {
    "xf": "http://www.w3.org/2002/xforms",
    "h": "http://www.w3.org/1999/xhtml",
    "jr": "http://openrosa.org/javarosa",
    "odk": "http://www.opendatakit.org/xforms",
}
JR = "{%s}" % NS["jr"]


def xlsx_bytes(sheets: dict[str, list[list]]) -> bytes:
    """An .xlsx in memory: {sheet name: rows (the first row is the header)}."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(title=name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def survey_xlsx(*rows: list, header=("type", "name", "label"), **extra_sheets) -> bytes:
    """An .xlsx with a survey sheet of `rows` plus any extra sheets."""
    return xlsx_bytes({"survey": [list(header), *map(list, rows)], **extra_sheets})


def parse(xml: str) -> etree._Element:
    return etree.fromstring(xml.encode("utf-8"))

"""The report as an XLSX workbook: one sheet per section, rates as percentages."""
import io

import xlsxwriter

from server.exports.writers import sheet_name
from server.reports.sections import RATE_COLUMNS


def render(sections, title):
    """The workbook's bytes."""
    out = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    book = xlsxwriter.Workbook(out, options)
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1, "text_wrap": True})
    percent = book.add_format({"num_format": "0.00%"})
    heading = book.add_format({"bold": True, "font_size": 14})
    taken = set()
    for section in sections:
        name = sheet_name(section["title"], 1, taken)
        taken.add(name.lower())
        sheet = book.add_worksheet(name)
        sheet.write_string(0, 0, f"{title} · {section['title']}", heading)
        first = 1
        if section["note"]:
            sheet.write_string(1, 0, section["note"])
            first = 2
        sheet.write_row(first, 0, section["columns"], bold)
        for index, row in enumerate(section["rows"], start=first + 1):
            for column, (field, value) in enumerate(zip(section["fields"], row)):
                _write(sheet, index, column, value, percent if field in RATE_COLUMNS else None)
        sheet.freeze_panes(first + 1, 0)
        sheet.set_column(0, len(section["columns"]) - 1, 16)
    book.close()
    return out.getvalue()


def _write(sheet, row, column, value, number_format):
    if value is None:
        return
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, column, value, number_format)
    else:
        sheet.write_string(row, column, str(value))

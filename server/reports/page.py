"""The report as a printable HTML page (A4 landscape; the browser's print gives the PDF)."""
from flask import render_template
from markupsafe import Markup, escape

from server.reports.sections import RATE_COLUMNS


def render(sections, title, language):
    return render_template("reports/evaluation.html", sections=sections, title=title, language=language,
                           cell=_cell, zip=zip)


def _cell(field, value):
    if value is None:
        return Markup("<td></td>")
    if field in RATE_COLUMNS and isinstance(value, (int, float)):
        return Markup(f'<td class="number">{100 * value:.2f}%</td>')
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return Markup(f'<td class="number">{value}</td>')
    css = ' class="fail"' if field == "verdict" and value in ("未达标", "FAIL") else ""
    return Markup(f"<td{css}>{escape(value)}</td>")

"""The figures page's table rows, made in Python. At village level (90 villages × 12 figures) the
template's expressions, escapes and a macro call per cell and chart were most of the page's time; here
a row is one string, each value escaped once."""
from flask_babel import gettext as _
from markupsafe import Markup, escape

from server.dashboard.page_context import percent

ROW = ('<tr data-figure="{name}"><th scope="row">{title}</th><td class="value">{value}</td>'
       '<td>{interval}</td>'
       '<td><a class="numerator" href="{link}numerator">{numerator}</a></td>'
       '<td><a class="denominator" href="{link}denominator">{denominator}</a></td>'
       '<td>{threshold}</td><td>{result}</td><td>{chart}</td></tr>\n')


def rows(area, lang, behind):
    """The <tr> of each figure of `area`, as markup. `behind` is the URL of the interviews behind a figure
    with FIGURE in place of the figure's name."""
    query = f"?area={area['code'] or ''}&part="
    passes, fails = escape(_("passes")), escape(_("fails"))  # outside the f-strings: babel extracts them
    results = {None: "—", True: f'<span class="badge pass">{passes}</span>',
               False: f'<span class="badge fail">{fails}</span>'}
    return Markup("".join(ROW.format(
        name=escape(f["name"]), title=escape(f["title_en"] if lang == "en" else f["title_zh"]),
        value=percent(f["value"]), numerator=f["numerator"], denominator=f["denominator"],
        interval=f"{percent(f['ci95'][0])} – {percent(f['ci95'][1])}" if f["ci95"] else "—",
        threshold=_threshold(f["threshold"]),
        result=results[f["pass"]], link=escape(behind.replace("FIGURE", f["name"]) + query), chart=chart(f))
        for f in area["figures"]))


def chart(figure):
    """The value and its 95% interval on a 0..1 axis, with the threshold as a line (SVG)."""
    parts = [f'<svg class="bar" width="212" height="18" viewBox="-6 0 212 18" role="img" '
             f'aria-label="{percent(figure["value"])}">',
             '<rect x="0" y="7" width="200" height="4" class="axis"/>']
    if figure["ci95"]:
        low, high = figure["ci95"]
        parts.append(f'<rect x="{_x(low)}" y="4" width="{_x(high - low)}" height="10" class="interval"/>')
    if figure["value"] is not None:
        kind = "fail" if figure["pass"] is False else "value"
        parts.append(f'<circle cx="{_x(figure["value"])}" cy="9" r="4" class="{kind}"/>')
    if figure["threshold"]:
        x = _x(figure["threshold"]["value"])
        parts.append(f'<line x1="{x}" x2="{x}" y1="0" y2="18" class="threshold"/>')
    return "".join(parts) + "</svg>"  # numbers and fixed words only: nothing to escape


def _threshold(rule):
    return escape(f"{rule['op']} {percent(rule['value'])}") if rule else "—"


def _x(share):
    return round(share * 200, 1)

"""The report in one call: `render(evaluation, fmt, language)` -> (bytes, content type, file name)."""
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.reports import content, page, workbook
from server.reports.sections import sections

FORMATS = ("html", "xlsx")
LANGUAGES = ("zh", "en")


def check(fmt, language):
    if fmt not in FORMATS:
        raise Problem("report.bad_format",
                      msg("The format is one of %(choices)s.", choices=", ".join(FORMATS)),
                      400)
    if language not in LANGUAGES:
        raise Problem("report.bad_language", msg("The language is one of %(choices)s.",
                                                 choices=", ".join(LANGUAGES)), 400)


def render(evaluation, fmt="html", language="zh"):
    check(fmt, language)
    document = content.build(evaluation, language)
    parts = sections(document)
    title = (f"{evaluation.name} 第三方评估报告" if language == "zh"
             else f"{evaluation.name}: third-party evaluation report")
    name = f"{evaluation.code}-report-{language}.{fmt}"
    if fmt == "xlsx":
        return (workbook.render(parts, title),
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name)
    return page.render(parts, title, language).encode("utf-8"), "text/html; charset=utf-8", name

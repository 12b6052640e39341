"""The figures per county, township or village, and the interviews behind each number."""
from flask import abort, render_template, request, url_for

from server.dashboard import figure_table
from server.dashboard.blueprint import bp
from server.dashboard.access import in_evaluation
from server.dashboard.i18n import language
from server.figures import evidence, read
from server.figures.rates import FIGURES
from server.recusal import overview


@bp.get("/dashboard/<code>/figures")
@in_evaluation("read")
def figures_page(evaluation):
    level = request.args.get("level", "county")
    if level not in read.LEVELS:
        abort(404)
    document = read.figures(evaluation, level, request.args.get("area") or None)
    # one url_for for the page: 90 villages × 12 figures × 2 links would otherwise dominate its time
    behind = url_for("dashboard.figure_interviews_page", code=evaluation.code, figure="FIGURE")
    tables = [(area, figure_table.rows(area, language(), behind)) for area in document["areas"]]
    return render_template("dashboard/figures.html", evaluation=evaluation, document=document, level=level,
                           levels=read.LEVELS, awaiting=overview.awaiting_review(evaluation), tables=tables)


@bp.get("/dashboard/<code>/figures/<figure>/interviews")
@in_evaluation("read")
def figure_interviews_page(evaluation, figure):
    if figure not in FIGURES:
        abort(404)
    part = request.args.get("part", "numerator")
    items, cursor = evidence.interviews(evaluation, figure, part, request.args.get("area") or None,
                                        request.args.get("after", type=int), 100)
    return render_template("dashboard/figure_interviews.html", evaluation=evaluation, figure=figure,
                           part=part, items=items, cursor=cursor, area=request.args.get("area", ""))

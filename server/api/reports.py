"""The evaluation report through the API: printable HTML or an XLSX workbook, in Chinese or English."""
from flask import Response, request
from marshmallow import Schema, fields, validate

from server.api.auth import requires
from server.api.blueprint import bp
from server.api.openapi import XLSX, documented
from server.reports import service


class ReportQuerySchema(Schema):
    format = fields.String(load_default="html", validate=validate.OneOf(service.FORMATS))
    lang = fields.String(load_default="zh", validate=validate.OneOf(service.LANGUAGES))


@bp.get("/evaluations/<code>/report")
@documented("The evaluation report: 两率一度 per county, township and village, flagged households with "
            "evidence, findings, back-checks and the method", query=ReportQuerySchema,
            content_type=("text/html", XLSX))
@requires("read")
def get_report(evaluation):
    query = ReportQuerySchema().load(request.args)
    body, content_type, name = service.render(evaluation, query["format"], query["lang"])
    disposition = "attachment" if query["format"] == "xlsx" else "inline"
    return Response(body, content_type=content_type,
                    headers={"Content-Disposition": f'{disposition}; filename="{name}"'})

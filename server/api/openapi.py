"""The OpenAPI 3 document, generated from the marshmallow schemas the views declare with `@documented`.
Summaries and descriptions are in English, or in zh-Hans with ?lang=zh (the "server" catalogue:
`documented("...")` is extracted like msg("...")). The docs page is server/api/docs_page.py."""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, request

from server.api.blueprint import bp
from server.infra.i18n import Msg, msg, render

API_VERSION = "1.0.0"
# Media types of file answers (`documented(content_type=...)`).
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ATTACHMENT_TYPES = ("image/*", "audio/*", "video/*", "application/octet-stream")  # as the phone sent it


def documented(summary, request=None, response=None, query=None, auth=True, status=200, description="",
               example=None, response_example=None, content_type=None):
    """Attach what the OpenAPI document says about a view (schemas are classes or instances; `example`
    and `response_example` are bodies as a client sends and receives them, kept in
    server/api/route_examples.py); the summary is an English text the catalogue translates, the
    description a msg(). A route that answers a file names its media type(s) in `content_type`."""
    def decorate(view):
        view._api_doc = {"summary": summary, "request": request, "response": response, "query": query,
                         "auth": auth, "status": status, "description": description or (view.__doc__ or ""),
                         "example": example, "response_example": response_example,
                         "content_type": content_type}
        return view
    return decorate


@bp.get("/openapi.json")
def openapi_json():
    lang = request.args.get("lang") if request.args.get("lang") in ("zh", "en") else "en"
    return jsonify(build_spec(lang).to_dict())


def build_spec(lang="en"):
    spec = APISpec(title="fieldcheck API", version=API_VERSION, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()], info={"description": INTRO.render(lang)})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        view = current_app.view_functions[rule.endpoint]
        doc = getattr(view, "_api_doc", None)
        if doc is not None:
            spec.path(path=_openapi_path(rule.rule), operations=_operations(rule, doc, lang),
                      parameters=_path_parameters(rule))
    return spec


def _operations(rule, doc, lang):
    description = doc["description"]
    operation = {"summary": Msg(doc["summary"]).render(lang),
                 "description": render(description, lang).strip() if isinstance(description, Msg)
                 else description.strip(),
                 "responses": {str(doc["status"]): _response(doc["response"], doc.get("response_example"),
                                                             doc.get("content_type"))}}
    if doc["request"] is not None:
        body = {"schema": doc["request"]}
        if doc.get("example") is not None:
            body["example"] = doc["example"]
        operation["requestBody"] = {"required": True, "content": {"application/json": body}}
    if doc["query"] is not None:
        operation["parameters"] = [{"in": "query", "schema": doc["query"]}]
    operation["security"] = [{"bearer": []}, {"session": []}] if doc["auth"] else []
    methods = sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))
    return {m.lower(): operation for m in methods}


def _response(schema, example=None, content_type=None):
    if content_type is not None:  # a file: its bytes, in one of these media types
        types = (content_type,) if isinstance(content_type, str) else content_type
        return {"description": "OK",
                "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in types}}
    if schema is None:
        return {"description": "OK"}
    content = {"schema": schema}
    if example is not None:
        content["example"] = example
    return {"description": "OK", "content": {"application/json": content}}


def _openapi_path(rule):
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _path_parameters(rule):
    return [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
            for name in rule.arguments]


INTRO = msg("The fieldcheck API. Authenticate with an API token (`Authorization: Bearer fc_...`, made with "
            "`fieldcheck tokens create`) or sign in with POST /api/v1/session and send the returned "
            "csrf_token as `X-CSRF-Token` on unsafe methods. Errors are `{code, message, details}`: the "
            "code is stable, the message follows Accept-Language (zh-Hans first, English for a request "
            "that accepts neither).")

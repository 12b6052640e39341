"""The OpenAPI 3 document, generated from the marshmallow schemas the views declare with `@documented`."""
import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from flask import current_app, jsonify, render_template

from server.api import bp

API_VERSION = "1.0.0"


def documented(summary, request=None, response=None, query=None, auth=True, status=200, description=""):
    """Attach what the OpenAPI document says about a view (schemas are classes or instances)."""
    def decorate(view):
        view._api_doc = {"summary": summary, "request": request, "response": response, "query": query,
                         "auth": auth, "status": status, "description": description or (view.__doc__ or "")}
        return view
    return decorate


@bp.get("/openapi.json")
def openapi_json():
    return jsonify(build_spec().to_dict())


@bp.get("/docs")
def docs_page():
    return render_template("api/docs.html", spec=build_spec().to_dict())


def build_spec():
    spec = APISpec(title="fieldcheck API", version=API_VERSION, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()], info={"description": _INTRO})
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    spec.components.security_scheme("session", {"type": "apiKey", "in": "cookie", "name": "session"})
    for rule in sorted(current_app.url_map.iter_rules(), key=lambda r: r.rule):
        view = current_app.view_functions[rule.endpoint]
        doc = getattr(view, "_api_doc", None)
        if doc is not None:
            spec.path(path=_openapi_path(rule.rule), operations=_operations(rule, doc),
                      parameters=_path_parameters(rule))
    return spec


def _operations(rule, doc):
    operation = {"summary": doc["summary"], "description": doc["description"].strip(),
                 "responses": {str(doc["status"]): _response(doc["response"])}}
    if doc["request"] is not None:
        operation["requestBody"] = {"required": True,
                                    "content": {"application/json": {"schema": doc["request"]}}}
    if doc["query"] is not None:
        operation["parameters"] = [{"in": "query", "schema": doc["query"]}]
    operation["security"] = [{"bearer": []}, {"session": []}] if doc["auth"] else []
    methods = sorted(m for m in rule.methods if m not in ("HEAD", "OPTIONS"))
    return {m.lower(): operation for m in methods}


def _response(schema):
    if schema is None:
        return {"description": "OK"}
    return {"description": "OK", "content": {"application/json": {"schema": schema}}}


def _openapi_path(rule):
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule)


def _path_parameters(rule):
    return [{"in": "path", "name": name, "required": True, "schema": {"type": "string"}}
            for name in rule.arguments]


_INTRO = ("The fieldcheck API. Authenticate with an API token (`Authorization: Bearer fc_...`, made with "
          "`fieldcheck tokens create`) or sign in with POST /api/v1/session and send the returned "
          "csrf_token as `X-CSRF-Token` on unsafe methods. Errors are `{code, message, details}`; "
          "codes are stable.")

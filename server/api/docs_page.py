"""The API docs page, /api/v1/docs, in zh-Hans or English: ?lang=zh|en, else Accept-Language (zh-Hans
first). Worked examples first (server/api/docs_examples.py), then each route with its summary, its
request and answer fields (schemas expanded, not left as $refs), the error codes it can answer, and
last every error code with its message (server/api/error_codes.json, tools/problem_codes.py)."""
import json
import os
import re

from flask import render_template, request

from forms.errors import SUMMARIES as FORM_ERRORS
from server.api.blueprint import bp
from server.api.docs_examples import examples
from server.api.openapi import build_spec
from server.infra.errors import HTTP_MESSAGES, NOT_FOUND
from server.infra.i18n import Msg, msg
from server.infra.problem_response import CONTENT_LANGUAGE, request_language

CODES_FILE = os.path.join(os.path.dirname(__file__), "error_codes.json")
MAX_DEPTH = 4  # nested objects shown as rows this deep; deeper ones by name only
# A route's own codes: those of the areas its path names (the first segment after the evaluation).
AREAS = {
    "households": ("household", "import", "idempotency", "card", "request"), "villages": ("card",),
    "forms": ("form",), "exports": ("export", "job", "decryption"), "jobs": ("job",),
    "samples": ("sample", "assignment"), "assignments": ("assignment",), "backchecks": ("backcheck",),
    "submissions": ("submission", "review", "attachment", "reconciliation", "classification", "link",
                    "table"),
    "figures": ("figures",), "reconciliation": ("reconciliation", "classification"), "rules": ("recusal",),
    "recusal-level": ("recusal",), "tokens": ("token",), "enumerators": ("enumerator", "account"),
    "chain": ("chain",), "pipeline": ("event", "job"), "report": ("report",), "users": ("account", "user"),
    "session": ("auth", "account"), "recheck": ("job",),
}
SIGNED_IN = ("auth.required", "auth.bad_token", "auth.csrf")
IN_EVALUATION = ("evaluation.not_found", "auth.forbidden")
TEXT = {
    "title": msg("fieldcheck API"),
    "language": msg("Language"),
    "machine": msg("The same, machine-readable (OpenAPI):"),
    "examples": msg("Worked examples"),
    "routes": msg("Routes"),
    "request": msg("Request body"),
    "query": msg("Query parameters"),
    "answer": msg("Answer"),
    "example": msg("Example"),
    "errors": msg("Error codes"),
    "field": msg("Field"),
    "type": msg("Type"),
    "required": msg("Required"),
    "notes": msg("Notes"),
    "code": msg("Code"),
    "status": msg("HTTP status"),
    "message": msg("Message"),
    "no_auth": msg("No sign-in needed."),
    "all_codes": msg("Every error code"),
    "all_codes_text": msg("Errors are {code, message, details}. code is stable: branch on it. message is in "
                          "the language of Accept-Language, with the parts shown here as ‹name› filled in."),
}


@bp.get("/docs")
def docs_page():
    lang = page_language()
    spec = build_spec(lang).to_dict()
    schemas = spec["components"]["schemas"]
    codes = error_codes(lang)
    page = render_template("api/docs.html", lang=lang, spec=spec, examples=examples(lang),
                           text={k: v.render(lang) for k, v in TEXT.items()},
                           routes=list(routes(spec, schemas, codes)), codes=codes)
    return page, 200, {"Content-Language": CONTENT_LANGUAGE[lang], "Vary": "Accept-Language"}


def page_language():
    chosen = request.args.get("lang")
    return chosen if chosen in ("zh", "en") else request_language()


def routes(spec, schemas, codes):
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if method == "parameters":
                continue
            sent = op.get("requestBody", {}).get("content", {}).get("application/json", {})
            body = sent.get("schema")
            # apispec spreads a query schema into one parameter per field
            query = [_parameter(p, schemas) for p in op.get("parameters", []) if p["in"] == "query"]
            status, answer = next(iter(op["responses"].items()))
            answered = answer.get("content", {}).get("application/json", {})
            files = [t for t in answer.get("content", {}) if t != "application/json"]  # a file's media types
            shape = answered.get("schema")
            yield {"method": method, "path": path, "summary": op["summary"], "description": op["description"],
                   "auth": bool(op["security"]), "status": status,
                   "request": fields(body, schemas) if body else [],
                   "query": query,
                   "answer": fields(shape, schemas) if shape else [],
                   "example": _example(sent), "answer_example": _example(answered), "answer_types": files,
                   "errors": route_codes(path, op, codes, bool(body or query))}


def _example(content):
    """The example body `documented(example=..., response_example=...)` gave, as JSON text, else None."""
    if "example" not in content:
        return None
    return json.dumps(content["example"], ensure_ascii=False, indent=1)


def fields(schema, schemas, prefix="", depth=0, seen=()):
    """Rows (name, type, required, notes) of a JSON schema, $refs followed, nested objects flattened
    as `a.b` and lists as `a[]`."""
    schema, name = _resolve(schema, schemas)
    if schema.get("type") == "array":
        item, item_name = _resolve(schema.get("items", {}), schemas)
        if item.get("properties") and item_name not in seen and depth < MAX_DEPTH:
            return fields(item, schemas, f"{prefix}[]" if prefix else "[]", depth, seen + (item_name,))
        return []
    rows = []
    required = set(schema.get("required", ()))
    for key, prop in schema.get("properties", {}).items():
        prop, ref = _resolve(prop, schemas)
        label = f"{prefix}.{key}" if prefix else key
        rows.append((label, _type(prop, ref, schemas), key in required, _notes(prop)))
        inner, inner_name = _resolve(prop.get("items", {}), schemas) if prop.get(
            "type") == "array" else (prop, ref)
        if inner.get("properties") and depth < MAX_DEPTH and inner_name not in seen:
            child = f"{label}[]" if prop.get("type") == "array" else label
            rows += fields(inner, schemas, child, depth + 1, seen + (inner_name,))
    return rows


def _parameter(param, schemas):
    """The row (name, type, required, notes) of a query parameter."""
    schema, ref = _resolve(param.get("schema", {}), schemas)
    described = {**schema, "description": param.get("description") or schema.get("description")}
    return param["name"], _type(schema, ref, schemas), bool(param.get("required")), _notes(described)


def _resolve(schema, schemas):
    ref = schema.get("$ref") if isinstance(schema, dict) else None
    if ref:
        name = ref.rsplit("/", 1)[-1]
        return schemas.get(name, {}), name
    return schema or {}, None


def _type(prop, ref, schemas):
    if prop.get("type") == "array":
        item, item_ref = _resolve(prop.get("items", {}), schemas)
        return f"[{_type(item, item_ref, schemas)}]"
    kind = prop.get("type") or ("object" if prop.get("properties") or ref else "any")
    return f"{kind} ({prop['format']})" if prop.get("format") else kind


def _notes(prop):
    notes = [prop["description"]] if prop.get("description") else []
    if prop.get("enum"):
        notes.append(" | ".join(str(v) for v in prop["enum"]))
    for key, word in (("minimum", "≥"), ("maximum", "≤"), ("pattern", "~")):
        if key in prop:
            notes.append(f"{word} {prop[key]}")
    if prop.get("nullable"):
        notes.append("null")
    return "; ".join(notes)


def route_codes(path, op, codes, validated):
    """The codes a route can answer: sign-in, evaluation scoping, request validation, and its area's."""
    found = list(SIGNED_IN if op["security"] else ())
    if "{code}" in path:
        found += IN_EVALUATION
    if validated:
        found.append("request.invalid")
    after = path.split("{code}/", 1)[1] if "{code}/" in path else path.replace("/api/v1/", "")
    areas = AREAS.get(after.split("/", 1)[0], ())
    found += [c for c in codes if c.split(".", 1)[0] in areas and c not in found]
    return found


def error_codes(lang):
    """{code: (status, message in `lang`)} for every code the API answers with."""
    with open(CODES_FILE, encoding="utf-8") as source:
        raised = json.load(source)
    table = {code: (entry["status"], " / ".join(_template(t, lang) for t in entry["messages"]))
             for code, entry in raised.items()}
    for what in NOT_FOUND:
        table[f"{what}.not_found"] = (404, _template(NOT_FOUND[what]("%(key)r").text, lang))
    for status, text in HTTP_MESSAGES.items():
        table[f"http.{status}"] = (status, text.render(lang))
    for code, (zh, en) in FORM_ERRORS.items():
        table.setdefault(code, (422, re.sub(r"\{(\w+)\}", r"‹\1›", zh if lang == "zh" else en)))
    return dict(sorted(table.items()))


def _template(text, lang):
    """A message with its placeholders shown as ‹name›."""
    translated = Msg(text).render(lang)
    return re.sub(r"%\((\w+)\)[srd]", r"‹\1›", translated)

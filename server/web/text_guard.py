"""Refuse text with a NUL character before any handler sees it.

PostgreSQL cannot store U+0000 in text or JSON, so a NUL that reached a query answered 500. No
field of fieldcheck's has a use for it: the path, the query string, a JSON body and a form are all
checked here, once, and a request carrying one gets a 400 that names the field. OpenRosa bodies are
left alone (streamed; their XML parser refuses NUL already), but their path and query are checked.
"""
from flask import request

from server.infra.errors import Problem
from server.infra.i18n import msg

STREAMED_BLUEPRINTS = frozenset({"openrosa", "openrosa_key"})
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


def init_app(app):
    app.before_request(refuse_nul)


def refuse_nul():
    path = None if _url_is_clean() else (_find(request.view_args or {}, ("path",))
                                         or _find_fields(request.args, "query"))
    path = path or _find_in_body()
    if path is not None:
        raise Problem("request.nul_character", msg("Text may not contain the NUL character (U+0000)."), 400,
                      [{"field": ".".join(path), "message": "contains U+0000"}])


def _url_is_clean():
    """No NUL can be in the path or the query: the decoded path has none and the raw query no %00 (every
    request pays for this check, so the common case is two substring searches)."""
    environ = request.environ
    query = environ.get("QUERY_STRING", "")
    return "\x00" not in environ.get("PATH_INFO", "") and "%00" not in query and "\x00" not in query


def _find_in_body():
    if request.blueprint in STREAMED_BLUEPRINTS:
        return None
    if request.is_json:
        return _find(request.get_json(silent=True), ("body",))
    if request.mimetype in FORM_TYPES:
        names = [(f"{key}.filename", f.filename or "") for key, f in request.files.items(multi=True)]
        return _find_fields(request.form, "form") or _find(dict(names), ("form",))
    return None


def _find_fields(fields, where):
    """As `_find`, for a form or query string: a repeated field is named once, without an index."""
    return next((found for key, value in fields.items(multi=True)
                 if (found := _find({key: value}, (where,))) is not None), None)


def _find(value, path):
    """The path to the first string holding NUL in a JSON-like value (keys included), or None."""
    if isinstance(value, str):
        return path if "\x00" in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            found = _find(key, path + (str(key).replace("\x00", "\\0"),)) or _find(item, path + (str(key),))
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _find(item, path + (str(index),))
            if found is not None:
                return found
    return None

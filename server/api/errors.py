"""Render every failure under /api/v1 as JSON with a stable code, its message in the language of the
request's Accept-Language (zh-Hans first, English when the request accepts neither; see
server/infra/i18n.py)."""
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from server.api.blueprint import bp
from server.infra.errors import Problem, http_problem
from server.infra.i18n import msg
from server.infra.problem_response import problem_response
from server.infra.validation_messages import worded


def _invalid(error):
    details = [{**d, "message": worded(d["message"])} for d in flatten_messages(error.messages)]
    return problem_response(Problem("request.invalid", msg("Some fields of the request are not valid; the "
                                                           "details name them."), 422, details))


def _http(exc):
    return problem_response(http_problem(exc))


def flatten_messages(messages, path=()):
    """marshmallow's nested {field: [msg]} -> [{"field": "a.0.b", "message": msg}, ...]."""
    if isinstance(messages, dict):
        return [item for key, value in messages.items()
                for item in flatten_messages(value, path + (str(key),))]
    if isinstance(messages, list) and all(isinstance(m, str) for m in messages):
        return [{"field": ".".join(path), "message": m} for m in messages]
    if isinstance(messages, list):
        return [item for m in messages for item in flatten_messages(m, path)]
    return [{"field": ".".join(path), "message": str(messages)}]


bp.register_error_handler(Problem, problem_response)
bp.register_error_handler(ValidationError, _invalid)
bp.register_error_handler(HTTPException, _http)

"""Render every failure under /api/v1 as JSON with a stable code."""
from flask import jsonify
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from server.api import bp
from server.errors import Problem


def _problem(problem):
    return jsonify(problem.to_dict()), problem.status


def _invalid(error):
    return jsonify({"code": "request.invalid", "message": "The request body is not valid.",
                    "details": flatten_messages(error.messages)}), 422


def _http(exc):
    return jsonify({"code": f"http.{exc.code}", "message": exc.description, "details": []}), exc.code


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


bp.register_error_handler(Problem, _problem)
bp.register_error_handler(ValidationError, _invalid)
bp.register_error_handler(HTTPException, _http)

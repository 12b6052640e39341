"""A Problem as a JSON answer `{code, message, details}`, its message in the request's language:
Accept-Language, zh-Hans first, English for a request that accepts neither (server/infra/i18n.py).
The code stays the same in every language."""
from flask import jsonify, request

from server.infra.i18n import best_language

CONTENT_LANGUAGE = {"zh": "zh-Hans", "en": "en"}


def request_language():
    return best_language(request.accept_languages)


def problem_response(problem, headers=None):
    lang = request_language()
    return jsonify(problem.to_dict(lang)), problem.status, {
        "Content-Language": CONTENT_LANGUAGE[lang], "Vary": "Accept-Language", **(headers or {})}

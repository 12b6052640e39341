"""What every dashboard template may use: the CSRF token, who is signed in, what they may do, the language,
and small formatting helpers."""
from urllib.parse import urlencode

from flask import g, has_request_context, request
from flask_babel import gettext as _

from server.dashboard import access, i18n, security
from server.recusal.overview import COUNT_CAP


def page_context():
    if not has_request_context():
        return {}  # a template rendered by a job (the report's HTML in the worker) is no dashboard page
    return {"csrf_token": security.csrf_token, "user": getattr(g, "user", None), "may": access.may,
            "lang": i18n.language(), "languages": i18n.NAMES, "here": request.full_path.rstrip("?"),
            "query_with": query_with, "query_without": query_without, "percent": percent,
            "bounded": bounded}


def query_with(**changes):
    args = {k: v for k, v in request.args.items() if k not in changes}
    args.update({k: v for k, v in changes.items() if v not in (None, "")})
    return urlencode(args)


def query_without(*names):
    return query_with(**{n: None for n in names})


def percent(value, digits=1):
    return "—" if value is None else f"{value * 100:.{digits}f}%"


def bounded(count):
    """A count made with a cap (server/recusal/overview.py): beyond it, say so instead."""
    return _("more than %(n)s", n=f"{COUNT_CAP:,}") if count > COUNT_CAP else count

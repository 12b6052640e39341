"""Security headers on every dashboard page, CSRF on every form post, cookies fit for https."""
import base64
import hashlib
import hmac
import re
import secrets

from flask import Response, request, session

from server.dashboard.blueprint import bp
from server.infra.errors import Problem
from server.infra.i18n import msg

CSP = ("default-src 'self'; img-src 'self' data:; media-src 'self'; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin", "Cross-Origin-Opener-Policy": "same-origin"}


def init_app(app):
    app.after_request(_headers)


def _ours(response):
    return request.blueprint == "dashboard" or request.path.startswith("/static/") or (
        request.blueprint is None and response.mimetype == "text/html")


def _headers(response):
    if _ours(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if request.blueprint == "dashboard":
            response.headers.setdefault("Cache-Control", "no-store")
    return response


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def with_own_styles(html):
    """A page that carries its own <style> (a print sheet that must also work saved to a file): the CSP
    allows exactly those style blocks, by hash, and still no inline script."""
    hashes = " ".join(f"'sha256-{base64.b64encode(hashlib.sha256(m.encode()).digest()).decode()}'"
                      for m in _STYLE.findall(html))
    response = Response(html, mimetype="text/html")
    own = CSP.replace("style-src 'self'", f"style-src 'self' {hashes}")
    response.headers["Content-Security-Policy"] = own
    return response


def csrf_token():
    """The session's CSRF token (one is made for a signed-out visitor too, for the sign-in form)."""
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(24)
    return session["csrf"]


def _check_csrf():
    if request.method in ("POST", "PUT", "PATCH", "DELETE"):
        sent = request.form.get("csrf_token", "")
        if not sent or not hmac.compare_digest(sent, session.get("csrf", "")):
            raise Problem("auth.csrf", msg("This form has expired or did not come from this site; "
                                           "reload the page and try again."), 403)


def cookie_secure():
    """Cookies are Secure when the request came over https (directly or through the proxy)."""
    return request.is_secure


bp.before_request(_check_csrf)

"""Flask's signed-cookie sessions, opened only for requests that carry the cookie.

Phones never send one, and building the signing serializer for every OpenRosa request cost more
than some of the request's own work; a request without the cookie gets a fresh empty session, as
Flask would give it, without that cost.
"""
from flask import request
from flask.sessions import SecureCookieSessionInterface


class CookieSessions(SecureCookieSessionInterface):
    def open_session(self, app, request):
        if app.secret_key and self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)

    def get_cookie_secure(self, app):
        # Secure behind https (FIELDCHECK_PROXY_FIX=1 makes the proxy's https visible here).
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)

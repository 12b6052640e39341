"""Trust X-Forwarded-* only when PROXY_FIX says how many proxies sit in front of us.

Collect's Basic credentials are accepted only over https (openrosa.md item 9), and absolute URLs
fall back to the request's host, so a forged X-Forwarded-Proto from a client must not count.
PROXY_FIX: 0/False (default) trusts nothing; N trusts the last N proxies. This is the only place proxy
trust is configured (gunicorn trusts no forwarded header; the Docker image sets PROXY_FIX=1).
"""
from werkzeug.middleware.proxy_fix import ProxyFix


def init_app(app):
    hops = int(app.config.get("PROXY_FIX") or 0)
    if hops > 0 and not isinstance(app.wsgi_app, ProxyFix):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops,
                                x_prefix=hops)

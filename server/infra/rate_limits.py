"""Rate limits on the endpoints worth guessing at or flooding: sign-in, issuing tokens, submissions.

Flask-Limiter on the app's own Redis (in memory with the embedded default), fixed windows per minute, each
limit both per client address and per account, so neither a NAT'ed village (many phones, one address) nor
one stolen password decides for everyone. The per-address limit on submissions is a flood cap, far above
what a village's phones send; the per-account limits are the real control. A breach answers 429 with
Retry-After in each surface's own format (an OpenRosa message Collect shows, the API's JSON, the
dashboard's page). With Redis away the limits step aside: a submission is never refused for want of a
counter.

The values are settings (RATE_LIMIT_*, e.g. "10/minute"); server/infra/config.py has the defaults.

Submissions, the one hot path, are counted by `counted`: the same fixed windows in the same storage, both
limits in one Redis round trip. Flask-Limiter's decorator spent a round trip per limit and walked its
registry of limits on every request: 13 % of a submission's instructions (callgrind over bench_ingest's
request, in process), against 3 % now.
"""
import functools
import logging
import time

from flask import current_app, g, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import parse
from limits.storage import RedisStorage
from werkzeug.exceptions import TooManyRequests

log = logging.getLogger(__name__)
KEY_PREFIX = "fieldcheck:limits"

# No X-RateLimit-* headers: writing them read each limit's window back from Redis on every request, a
# tenth of a submission's time under load (bench_ingest); a refusal still says when to come back.
limiter = Limiter(key_func=get_remote_address, headers_enabled=False, swallow_errors=True,
                  strategy="fixed-window")


def init_app(app):
    app.config.setdefault("RATELIMIT_ENABLED", app.config.get("RATE_LIMITS_ENABLED", True))
    app.config["RATELIMIT_STORAGE_URI"] = storage_uri(app.config.get("REDIS_URL"))
    app.config["RATELIMIT_KEY_PREFIX"] = KEY_PREFIX
    limiter.init_app(app)
    # Every limit is on a view (its decorator checks it); the check Flask-Limiter adds before every request
    # serves default and application-wide limits, which fieldcheck has none of, and costs each request.
    hooks = app.before_request_funcs.get(None, [])
    if limiter._check_request_limit in hooks:  # not installed when the limits are off
        hooks.remove(limiter._check_request_limit)
    app.after_request(_retry_after)


def _retry_after(response):
    """A 429 of a breached limit says, in seconds, when its window opens again (Collect, the API's clients
    and browsers all read Retry-After)."""
    if response.status_code == 429 and "Retry-After" not in response.headers and "retry_after" in g:
        response.headers["Retry-After"] = str(g.retry_after)
    breached = limiter.current_limit if response.status_code == 429 else None
    if breached is not None and breached.breached and "Retry-After" not in response.headers:
        try:
            response.headers["Retry-After"] = str(max(1, int(breached.reset_at - time.time())))
        except Exception:  # Redis away: the limit stepped aside anyway
            response.headers["Retry-After"] = "60"
    return response


def storage_uri(redis_url):
    """The app's Redis for the counters. With the embedded default (no REDIS_URL, a Redis started on first
    use, not at create_app) each process counts in its own memory: one machine, a demo or a small office."""
    if not redis_url:
        return "memory://"
    return "redis+" + redis_url if redis_url.startswith("unix://") else redis_url


def setting(name):
    """A limit read from the app's settings when the request comes (tests and operators change them)."""
    return lambda: current_app.config[name]


def both(prefix, account, failures_only=False):
    """The limits RATE_LIMIT_<prefix>_ADDRESS and _ACCOUNT on a POST view; `account()` names the account
    the request acts as. `failures_only`: only refused requests count (a sign-in that succeeds does not)."""
    deduct = (lambda response: response.status_code >= 400) if failures_only else None

    def decorate(view):
        for name, key in ((f"RATE_LIMIT_{prefix}_ACCOUNT", lambda: f"account:{account() or '-'}"),
                          (f"RATE_LIMIT_{prefix}_ADDRESS", get_remote_address)):
            view = limiter.shared_limit(setting(name), scope=name, key_func=key, methods=["POST"],
                                        deduct_when=deduct)(view)  # shared: the API and the dashboard
        return view
    return decorate


def sign_in_name():
    """The username a sign-in tries, from the form or the JSON body."""
    body = request.get_json(silent=True) if request.is_json else None
    name = body.get("username") if isinstance(body, dict) else request.form.get("username")
    return name.strip().lower()[:80] if isinstance(name, str) else None


def counted(prefix, account):
    """The limits RATE_LIMIT_<prefix>_ACCOUNT and _ADDRESS on a hot POST view, counted together (see the
    module's docstring); a breach is a 429 with Retry-After. `account()` names the account."""
    def decorate(view):
        @functools.wraps(view)
        def limited_view(*args, **kwargs):
            if request.method == "POST" and current_app.config["RATELIMIT_ENABLED"]:
                _count([(f"RATE_LIMIT_{prefix}_ACCOUNT", f"account:{account() or '-'}"),
                        (f"RATE_LIMIT_{prefix}_ADDRESS", get_remote_address())])
            return view(*args, **kwargs)
        return limited_view
    return decorate


def _count(limits):
    """Count one hit on each (setting, key); raise 429 if any window is over its limit."""
    windows = [(_item(current_app.config[name]), name, key) for name, key in limits]
    keys = [item.key_for(KEY_PREFIX, key, name) for item, name, key in windows]
    try:
        hits = _hit(limiter.storage, keys, [item.get_expiry() for item, _, _ in windows])
    except Exception as error:  # Redis away: the limits step aside, the submission is not refused
        log.warning("rate limits not counted: %s", error)
        return
    waits = [left for (item, _, _), (count, left) in zip(windows, hits) if count > item.amount]
    if waits:
        g.retry_after = max(1, int(max(waits)))
        raise TooManyRequests()


@functools.lru_cache(maxsize=64)
def _item(text):
    return parse(text)


_HITS_LUA = """
local out = {}
for i, key in ipairs(KEYS) do
  local count = redis.call("incr", key)
  if count == 1 then redis.call("expire", key, ARGV[i]) end
  out[#out + 1] = count
  out[#out + 1] = redis.call("ttl", key)
end
return out
"""


@functools.lru_cache(maxsize=8)
def _script(client):
    return client.register_script(_HITS_LUA)


def _hit(storage, keys, expiries):
    """[(count, seconds left in its window)] for each key after one hit: one script on Redis, the storage's
    own counters elsewhere (the embedded default counts in memory)."""
    if isinstance(storage, RedisStorage):
        flat = _script(storage.storage)([storage.prefixed_key(k) for k in keys], expiries)
        return list(zip(flat[::2], flat[1::2]))
    now = time.time()
    return [(storage.incr(k, e), storage.get_expiry(k) - now) for k, e in zip(keys, expiries)]

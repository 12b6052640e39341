"""The highest Digest nonce count seen per nonce, in Redis, shared by every web process.

A key per nonce, expiring with the nonce; one atomic script compares and records, so two requests
replaying the same count at once cannot both pass. Should Redis be unreachable, a count cannot be
checked and the request is answered 503 with Retry-After (Collect sends again later): accepting it
unchecked would let a captured header store interviews for the nonce's whole life. Phones signed in
by a token in their URL need no nonce and go on working.
"""
import logging

from flask import current_app
from redis.exceptions import RedisError

from server.infra.errors import Problem
from server.infra.i18n import msg

log = logging.getLogger(__name__)

_SCRIPT = """
local seen = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) <= seen then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
return 1
"""
_EXTENSION = "fieldcheck.nonce_count_script"


def accept_count(nonce, count, ttl):
    """True if `count` is above every count seen for `nonce`, and record it for `ttl` seconds.
    Raises Problem server.unavailable (503) when Redis cannot say (see the module docstring)."""
    try:
        return bool(_script()(keys=[f"fieldcheck:digest-nc:{nonce}"], args=[count, ttl]))
    except RedisError as exc:
        log.warning("Digest request refused for now: its nonce count cannot be checked (%s)", exc)
        raise Problem("server.unavailable", msg("Digest nonce counts cannot be checked now."), 503) from None


def _script():
    extensions = current_app.extensions
    if _EXTENSION not in extensions:
        extensions[_EXTENSION] = extensions["rq"].connection.register_script(_SCRIPT)
    return extensions[_EXTENSION]

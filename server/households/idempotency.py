"""`Idempotency-Key`: a retried request with the same key and body gets the first reply again."""
import hashlib

import orjson
from sqlalchemy import select

from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import ImportKey

MAX_KEY = 200


def request_hash(records):
    """The hash of the records as canonical JSON (sorted keys), so key order and spacing do not count.

    orjson, not json.dumps: 30 instead of 240 ms for 5,000 households. (Keys stored before this change
    hash differently; their retry gets 409, and a resend under a new key changes nothing anyway.)
    """
    body = orjson.dumps(records, option=orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS, default=str)
    return hashlib.sha256(body).hexdigest()


def check_key(key):
    if not key or len(key) > MAX_KEY or not key.isprintable():
        raise Problem("idempotency.bad_key", msg("An Idempotency-Key is 1-%(max)d printable characters.",
                                                 max=MAX_KEY))


def replay(evaluation_id, key, digest):
    """The stored reply for this key, None if the key is new; 409 if it came with another body."""
    row = db.session.execute(select(ImportKey).where(ImportKey.evaluation_id == evaluation_id,
                                                     ImportKey.key == key)).scalar()
    if row is None:
        return None
    if row.request_sha256 != digest:
        raise Problem("idempotency.key_reused", msg("This Idempotency-Key was used with a different request "
                                                    "body; use a new key for a new batch."), 409)
    return dict(row.response, replayed=True)


def remember(evaluation_id, key, digest, response, status=200):
    db.session.add(ImportKey(evaluation_id=evaluation_id, key=key, request_sha256=digest,
                             status=status, response=response))

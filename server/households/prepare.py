"""From a validated record to the row we store: the masked record as JSON, the encrypted ID numbers
and a keyed digest that tells a real change from a resend."""
import hashlib
import hmac

import orjson
from flask import current_app

from server.infra import secrets_box
from server.households.idcard import mask

# The order of the tuples `prepare` returns; bulk.py writes them in this order.
COLUMNS = ("archive_id", "province", "county", "township", "village", "county_code", "township_code",
           "village_code", "head_name", "member_count", "status", "registration_year", "exit_year",
           "latitude", "longitude", "record", "record_sha256", "id_numbers_encrypted")
_PLAIN = COLUMNS[:9]


def digest_key():
    """The HMAC key for record digests. Keyed, so a digest cannot be used to guess an ID number."""
    return hashlib.sha256(b"fieldcheck-record:" + current_app.config["DATA_KEY"].encode()).digest()


def prepare(data, key):
    """A row tuple in COLUMNS order from a loaded record (which it consumes: ID numbers are removed)."""
    ids = []
    for member in data["members"]:
        number = member.pop("id_number", None)
        ids.append(number)
        if number:
            member["id_number_masked"] = mask(number)
    record = orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
    id_list = orjson.dumps(ids)
    digest = hmac.new(key, record + b"\n" + id_list, hashlib.sha256).hexdigest()
    encrypted = secrets_box.encrypt(id_list.decode()) if any(ids) else None
    location = data.get("location") or {}
    return (*(data[name] for name in _PLAIN), len(data["members"]), data["status"],
            data["registration_year"], data.get("exit_year"), location.get("latitude"),
            location.get("longitude"), record.decode(), digest, encrypted)


def id_numbers(household):
    """The clear ID numbers of a household, in member order (None where a member has none).

    For server-side checks only: nothing that leaves the server may carry them.
    """
    if not household.id_numbers_encrypted:
        return [None] * household.member_count
    return orjson.loads(secrets_box.decrypt(household.id_numbers_encrypted))

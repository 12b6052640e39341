"""What a chain entry covers and how it is hashed: the one definition that appending and verifying share.

An entry covers one source row: its canonical content (`covers`, a small JSON object of the row's
evidence-bearing columns and the sha256 of the XML and of each attachment) hashed as sorted, compact JSON;
the entry hash links the previous hash, the evaluation, the position and that content hash, so changing a
row, a file, an entry or the order of entries breaks the chain from that entry on.
"""
import hashlib
import json
from datetime import timezone

import orjson

GENESIS = "0" * 64
KIND_ORDER = {"submission": 0, "review": 1, "classification": 2}


def instant(value):
    """A stored time as the chain writes it (UTC, ISO 8601, microseconds)."""
    return value.astimezone(timezone.utc).isoformat(timespec="microseconds")


def submission_covers(row, attachments):
    """`row`: a submission's columns (xml_sha256 is the hash of the XML as received);
    `attachments`: [(name, sha256, size)] as recorded."""
    return {"instance_id": row.instance_id, "root_instance_id": row.root_instance_id,
            "deprecated_id": row.deprecated_id, "form_version_id": row.form_version_id,
            "enumerator_id": row.enumerator_id, "received_at": instant(row.received_at),
            "xml_sha256": row.xml_sha256,
            "attachments": [[name, sha256, size] for name, sha256, size in sorted(attachments)]}


def submission_actor(row):
    return f"enumerator:{row.enumerator_id}" if row.enumerator_id is not None else "anonymous"


def review_covers(row):
    """A supervisor's review decision on an interview's findings (clear = overriding them, or exclude)."""
    return {"submission_id": row.submission_id, "check_run_id": row.check_run_id, "decision": row.decision,
            "reason": row.reason, "codes": list(row.codes or ()), "actor": row.actor,
            "decided_at": instant(row.decided_at)}


def classification_covers(row):
    """A supervisor's verdict changing a suspected classification flag (confirm or reject)."""
    return {"submission_id": row.submission_id, "flag": row.flag, "decision": row.decision,
            "reason": row.reason, "actor": row.actor, "decided_at": instant(row.decided_at)}


def content_hash(covers):
    return hashlib.sha256(canonical_json(covers)).hexdigest()


def canonical_json(covers):
    """UTF-8 bytes of json.dumps(covers, ensure_ascii=False, sort_keys=True, separators=(",", ":")), the
    definition an archivist re-runs. orjson writes the same bytes for what an entry covers (strings,
    integers, null, lists) several times faster; json writes what orjson refuses (an integer beyond 64
    bits)."""
    try:
        return orjson.dumps(covers, option=orjson.OPT_SORT_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        return json.dumps(covers, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def entry_hash(prev_hash, evaluation_id, seq, kind, source_id, at, actor, content_sha256):
    """`at` as written by `instant`. A line of fields, not JSON: verifying a million entries hashes each."""
    line = f"{prev_hash}\n{evaluation_id}\n{seq}\n{kind}\n{source_id}\n{at}\n{actor}\n{content_sha256}"
    return hashlib.sha256(line.encode("utf-8")).hexdigest()

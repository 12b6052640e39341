"""Writing and reading the register: batch upserts (whole or not at all), withdrawal, lookups, the feed.

Domain code: raises Problem, never commits. `upsert_batch` = `check_batch` (pure validation, every
error listed) + `prepare_batch` (masking, encryption, digests) + `apply_batch` (the SQL, safe to retry).
"""
from marshmallow import ValidationError
from sqlalchemy import select

from server.accounts import audit
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.validation_messages import worded
from server.infra.extensions import db
from server.households import idempotency
from server.households import batch_sql
from server.households.compiled_schema import Defer, compile_schema
from server.households.prepare import COLUMNS, digest_key, prepare
from server.households.schema import HOUSEHOLD, HouseholdSchema
from server.models import Household, HouseholdToken
from server.models.types import utcnow

MAX_BATCH = 5000
_FAST_LOAD = compile_schema(HouseholdSchema())
_DIGEST = COLUMNS.index("record_sha256")


def upsert_batch(evaluation, records, actor, idempotency_key=None):
    """Apply up to 5,000 records, all or none. Returns counts (see `apply_batch`).

    Raises Problem household.batch_too_large (413), household.invalid (422, every error in details),
    idempotency.key_reused (409).
    """
    digest = idempotency.request_hash(records) if idempotency_key else None
    rows = prepare_batch(check_batch(records))
    return apply_batch(evaluation.id, rows, actor, idempotency_key, digest)


def check_batch(records, limit=MAX_BATCH):
    """Load every record; raise one Problem listing every error (index, archive_id, field, message)."""
    if not isinstance(records, list):
        raise Problem("household.invalid", msg("The body is a JSON array of household records."), 422)
    if len(records) > limit:
        raise Problem("household.batch_too_large",
                      msg("A batch holds at most %(limit)d records; this one has %(count)d. Split it.",
                          limit=limit, count=len(records)), 413)
    loaded, errors, first_index = [], [], {}
    for index, raw in enumerate(records):
        data = _load(raw, index, errors)
        archive_id = raw.get("archive_id") if isinstance(raw, dict) else None
        if isinstance(archive_id, str) and first_index.setdefault(archive_id, index) != index:
            errors.append(_error(index, archive_id, "archive_id",
                                 msg("the same household is already record %(index)d of this batch",
                                     index=first_index[archive_id])))
        loaded.append(data)
    if errors:
        failed = len({e["index"] for e in errors})
        raise Problem("household.invalid", msg("%(errors)d error(s) in %(records)d record(s); nothing was "
                                               "applied.", errors=len(errors), records=failed), 422, errors)
    return loaded


def _load(raw, index, errors):
    try:
        return _FAST_LOAD(raw)
    except Defer:
        pass  # the fast path could not decide: the schema decides and words the errors
    try:
        return HOUSEHOLD.load(raw)
    except ValidationError as exc:
        archive_id = raw.get("archive_id") if isinstance(raw, dict) else None
        errors.extend(_error(index, archive_id, field, message)
                      for field, message in flatten(exc.messages))
        return None


def _error(index, archive_id, field, message):
    return {"index": index, "archive_id": archive_id if isinstance(archive_id, str) else None,
            "field": field, "message": worded(message)}


def flatten(messages, path=()):
    """marshmallow's nested {field: [msg]} -> [("members.0.id_number", msg), ...]."""
    if isinstance(messages, dict):
        return [item for key, value in messages.items() for item in flatten(value, path + (str(key),))]
    if isinstance(messages, list):
        return [item for m in messages for item in flatten(m, path)]
    return [(".".join(path) or "_schema", str(messages))]


class Prepared(list):
    """Row tuples sorted by archive_id, with `card_tokens` {archive_id: pre-issued card token}."""

    card_tokens = {}


def prepare_batch(loaded):
    """Row tuples sorted by archive_id (the same lock order for every writer); pre-issued card tokens are
    taken out of the records (a card token is a credential, not archive data)."""
    key = digest_key()
    tokens = {data["archive_id"]: data.pop("card_token") for data in loaded if data.get("card_token")}
    rows = Prepared(sorted((prepare(data, key) for data in loaded), key=lambda row: row[0]))
    rows.card_tokens = tokens
    return rows


def apply_batch(evaluation_id, rows, actor, idempotency_key=None, request_digest=None, card_tokens=None):
    """Write prepared rows; only real changes get a new version and change_seq. Safe to re-run.

    The evaluation's counter row stays locked from numbering to commit, so change_seq values become
    visible in the order they were handed out and a reader of the changes feed never skips one (with
    a sequence, a later commit could carry a lower number). Only this SQL part of concurrent batches
    queues (about 0.25 s for 5,000 new households); parsing, checks and encryption run before it.
    """
    last = batch_sql.lock_counter(evaluation_id)
    if idempotency_key:
        replayed = idempotency.replay(evaluation_id, idempotency_key, request_digest)
        if replayed is not None:
            return replayed
    known = batch_sql.existing(evaluation_id, [row[0] for row in rows])
    wanted = _card_tokens(card_tokens if card_tokens is not None else getattr(rows, "card_tokens", {}), known)
    changed = [row for row in rows if known.get(row[0]) != (row[_DIGEST], False)]
    written = batch_sql.write_rows(evaluation_id, changed, last + 1, known) if changed else {}
    created = [written[row[0]] for row in changed if row[0] not in known]
    batch_sql.issue_tokens(created, {written[a]: t for a, t in wanted.items() if a in written})
    batch_sql.move_interviews([written[row[0]] for row in changed if row[0] in known])
    result = {"received": len(rows), "created": len(created), "updated": len(changed) - len(created),
              "unchanged": len(rows) - len(changed), "last_change_seq": last + len(changed)}
    if changed:
        batch_sql.set_counter(evaluation_id, last + len(changed))
        audit.record(actor, "households.upsert", f"evaluation:{evaluation_id}",
                     {k: result[k] for k in ("created", "updated", "last_change_seq")}, evaluation_id)
    if idempotency_key:
        idempotency.remember(evaluation_id, idempotency_key, request_digest, result)
    return result


def _card_tokens(tokens, known):
    """The pre-issued tokens of the batch's new households. Raises Problem household.card_token_taken (409)
    when a token is given twice or belongs to another household (of any evaluation): a card is one
    household's."""
    wanted = {a: t for a, t in tokens.items() if a not in known}
    clashes = [a for a, t in wanted.items() if list(wanted.values()).count(t) > 1]
    if wanted:
        taken = set(db.session.execute(select(HouseholdToken.token).where(
            HouseholdToken.token.in_(set(wanted.values())))).scalars())
        clashes += [a for a, t in wanted.items() if t in taken]
    if clashes:
        raise Problem("household.card_token_taken", msg("A pre-issued card token is already another "
                                                        "household's."),
                      409, [{"archive_id": a, "field": "card_token", "message": msg("already in use")}
                            for a in sorted(set(clashes))])
    return wanted


def get_household(evaluation_id, archive_id):
    household = db.session.execute(select(Household).where(
        Household.evaluation_id == evaluation_id, Household.archive_id == archive_id)).scalar()
    if household is None:
        raise Problem("household.not_found", msg("The household %(archive_id)r is not in this evaluation's "
                                                 "register.", archive_id=archive_id), 404)
    return household


def withdraw(evaluation_id, archive_id, actor, reason=""):
    """Mark a household withdrawn (it is kept). Withdrawing twice changes nothing the second time."""
    last = batch_sql.lock_counter(evaluation_id)
    household = get_household(evaluation_id, archive_id)
    if household.withdrawn_at is not None:
        return household
    household.withdrawn_at = utcnow()
    household.version += 1
    household.change_seq = last + 1
    batch_sql.set_counter(evaluation_id, last + 1)
    audit.record(actor, "household.withdraw", f"household:{household.id}",
                 {"archive_id": archive_id, "reason": reason}, evaluation_id)
    return household

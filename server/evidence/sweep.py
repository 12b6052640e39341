"""Appending to the chain, in the worker: a sweep chains, in one batch, every covered row of an evaluation
that no entry covers yet. Ingest never waits for it: a submission is chained seconds after it was stored,
by the `chain.sweep` event that a submission batch or the relay asks for. Domain code: the caller commits.
"""
from sqlalchemy import insert, select, text

from server.evidence import canonical, sources
from server.infra.extensions import db
from server.models import ChainEntry, Evaluation, OutboxEvent
from server.models.types import utcnow
from server.pipeline import outbox

SWEEP_LIMIT = 20_000  # entries appended per sweep; a longer backlog continues in the next event
EVENT = "chain.sweep"
_LOCK = 734_222       # PostgreSQL advisory lock class: one sweep per evaluation at a time


def head(evaluation_id, at_most=None):
    """(seq, hash) of the evaluation's newest entry (or of the newest with seq <= at_most); (0, GENESIS)
    for an empty chain. seq is also the number of entries."""
    query = select(ChainEntry.seq, ChainEntry.hash).where(ChainEntry.evaluation_id == evaluation_id)
    if at_most is not None:
        query = query.where(ChainEntry.seq <= at_most)
    row = db.session.execute(query.order_by(ChainEntry.seq.desc()).limit(1)).first()
    return (row.seq, row.hash) if row else (0, canonical.GENESIS)


def sweep(evaluation_id, limit=SWEEP_LIMIT, everything=False):
    """Chain the evaluation's rows not covered yet (at most `limit`); returns how many were appended.

    `everything` looks at every row, not only those near the newest chained ids (a repair after an
    outage longer than sources.LOOKBACK ids)."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:k, :e)"), {"k": _LOCK, "e": evaluation_id})
    found = []
    for kind in sources.TABLES:
        ids = sources.unchained_ids(evaluation_id, kind, limit, everything)
        found.extend(sources.load(kind, ids).values())
    found.sort(key=lambda s: (s.at, canonical.KIND_ORDER[s.kind], s.id))
    rows = _entries(evaluation_id, found[:limit])
    if rows:
        db.session.execute(insert(ChainEntry.__table__), rows)
    return len(rows)


def _entries(evaluation_id, found):
    seq, prev = head(evaluation_id)
    now, rows = utcnow(), []
    for source in found:
        seq += 1
        content = canonical.content_hash(source.covers)
        digest = canonical.entry_hash(prev, evaluation_id, seq, source.kind, source.id,
                                      canonical.instant(source.at), source.actor, content)
        rows.append({"evaluation_id": evaluation_id, "seq": seq, "kind": source.kind, "source_id": source.id,
                     "at": source.at, "actor": source.actor, "covers": source.covers,
                     "content_sha256": content, "prev_hash": prev, "hash": digest, "chained_at": now})
        prev = digest
    return rows


def request(evaluation_ids):
    """Ask for a sweep of each evaluation that has none waiting (adds outbox events; the caller commits)."""
    wanted = set(evaluation_ids)
    if not wanted:
        return 0
    waiting = set(db.session.execute(select(OutboxEvent.evaluation_id).where(
        OutboxEvent.state == "pending", OutboxEvent.name == EVENT,
        OutboxEvent.evaluation_id.in_(wanted))).scalars())
    for evaluation_id in sorted(wanted - waiting):
        outbox.emit(EVENT, {"evaluation_id": evaluation_id}, evaluation_id)
    return len(wanted - waiting)


def continue_later(evaluation_id):
    """A sweep that hit its limit asks for the next one (its own event is still pending, so `request`
    would see it and add nothing)."""
    outbox.emit(EVENT, {"evaluation_id": evaluation_id}, evaluation_id)


def request_behind():
    """Ask for a sweep of every evaluation with rows newer than its chain (the relay calls this, so a
    review decision or a lost wake-up is chained within a relay interval)."""
    behind = [evaluation_id for evaluation_id in db.session.execute(select(Evaluation.id)).scalars()
              if any(sources.has_newer(evaluation_id, kind) for kind in sources.TABLES)]
    return request(behind)

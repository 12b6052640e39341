"""Bulk SQL for the register: lock the change counter, find what exists, write a batch of rows.

PostgreSQL (pg_copy.py): COPY for new households and their cards, a staged INSERT ... ON CONFLICT for
the rest. SQLite: the same upsert through executemany. No ORM objects: a batch is 5,000 rows.
"""
import secrets

from sqlalchemy import bindparam, text

from server.infra.extensions import db
from server.households import pg_copy
from server.households.prepare import COLUMNS
from server.models.types import utcnow

_UPSERT = (f"INSERT INTO household (evaluation_id, {', '.join(COLUMNS)}, change_seq, version, created_at, "
           f"updated_at) VALUES ({', '.join('?' * (len(COLUMNS) + 5))}) ON CONFLICT (evaluation_id, "
           f"archive_id) DO UPDATE SET {', '.join(f'{c} = excluded.{c}' for c in COLUMNS[1:])}, "
           "change_seq = excluded.change_seq, version = household.version + 1, "
           "updated_at = excluded.updated_at, withdrawn_at = NULL")


def is_postgresql():
    return db.session.get_bind().dialect.name == "postgresql"


def lock_counter(evaluation_id):
    """Lock the evaluation's change counter until commit; return the last change_seq handed out."""
    params = {"e": evaluation_id}
    db.session.execute(text("INSERT INTO household_counter (evaluation_id, last_seq) VALUES (:e, 0) "
                            "ON CONFLICT (evaluation_id) DO NOTHING"), params)
    return db.session.execute(text("UPDATE household_counter SET last_seq = last_seq "
                                   "WHERE evaluation_id = :e RETURNING last_seq"), params).scalar_one()


def set_counter(evaluation_id, last_seq):
    db.session.execute(text("UPDATE household_counter SET last_seq = :s WHERE evaluation_id = :e"),
                       {"s": last_seq, "e": evaluation_id})


def existing(evaluation_id, archive_ids):
    """{archive_id: (record_sha256, withdrawn)} for the ids that are already registered."""
    if is_postgresql():
        return pg_copy.existing(evaluation_id, archive_ids)
    query = text("SELECT archive_id, record_sha256, withdrawn_at IS NOT NULL FROM household "
                 "WHERE evaluation_id = :e AND archive_id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    rows = db.session.execute(query, {"e": evaluation_id, "ids": list(archive_ids)})
    return {archive_id: (digest, bool(withdrawn)) for archive_id, digest, withdrawn in rows}


def write_rows(evaluation_id, rows, first_seq, known):
    """Write `rows` (prepare() tuples, sorted by archive_id) numbered from first_seq.

    `known` is what `existing` returned under the same counter lock. Returns {archive_id: id}.
    """
    numbered = list(enumerate(rows, first_seq))
    if not is_postgresql():
        return _write_sqlite(evaluation_id, numbered)
    written = pg_copy.insert_new(evaluation_id, [(s, r) for s, r in numbered if r[0] not in known])
    rewritten = [(s, r) for s, r in numbered if r[0] in known]
    if rewritten:
        written.update(pg_copy.upsert(evaluation_id, rewritten))
    return written


def _write_sqlite(evaluation_id, numbered):
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")  # the format SQLAlchemy stores on SQLite
    params = [(evaluation_id, *row, seq, 1, now, now) for seq, row in numbered]
    db.session.connection().exec_driver_sql(_UPSERT, params)
    query = text("SELECT archive_id, id FROM household WHERE evaluation_id = :e AND archive_id IN :ids"
                 ).bindparams(bindparam("ids", expanding=True))
    ids = [row[0] for _, row in numbered]
    return dict(db.session.execute(query, {"e": evaluation_id, "ids": ids}).all())


def move_interviews(household_ids):
    """The interviews of these (rewritten) households take their place codes again: the interview table
    filters on the codes kept on the submission (models/submission.py). Nothing moves when no code did."""
    distinct = "IS DISTINCT FROM" if is_postgresql() else "IS NOT"
    statement = text(
        "UPDATE submission SET county_code = NULLIF(household.county_code, ''), "
        "township_code = NULLIF(household.township_code, ''), "
        "village_code = NULLIF(household.village_code, '') "
        "FROM interview_fact, household WHERE interview_fact.submission_id = submission.id "
        "AND household.id = interview_fact.household_id AND household.id IN :ids "
        f"AND submission.village_code {distinct} NULLIF(household.village_code, '')"
    ).bindparams(bindparam("ids", expanding=True))
    for start in range(0, len(household_ids), 1000):
        db.session.execute(statement, {"ids": household_ids[start:start + 1000]})


def issue_tokens(household_ids, preset=None):
    """A QR token for each household id (its pre-issued one from `preset`, else fresh); returns
    {household_id: token}."""
    preset = preset or {}
    tokens = {hid: preset.get(hid) or secrets.token_urlsafe(16) for hid in household_ids}
    if not tokens:
        return tokens
    if is_postgresql():
        pg_copy.insert_tokens(tokens)
    else:
        now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
        db.session.connection().exec_driver_sql(
            "INSERT INTO household_token (household_id, token, created_at) VALUES (?, ?, ?)",
            [(hid, token, now) for hid, token in tokens.items()])
    return tokens

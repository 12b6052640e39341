"""Bulk SQL for the register: lock the change counter, find what exists, write a batch of rows.

PostgreSQL: COPY into a temporary table, then one INSERT ... SELECT ... ON CONFLICT DO UPDATE ...
RETURNING. SQLite: the same upsert through executemany. No ORM objects: a batch is 5,000 rows.
"""
import secrets

from sqlalchemy import bindparam, text

from server.extensions import db
from server.households.prepare import COLUMNS
from server.models.types import utcnow

_SET = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
_UPSERT_TAIL = (f" ON CONFLICT (evaluation_id, archive_id) DO UPDATE SET {_SET}, change_seq = "
                "excluded.change_seq, version = household.version + 1, updated_at = excluded.updated_at, "
                "withdrawn_at = NULL")
_INSERT_HEAD = (f"INSERT INTO household (evaluation_id, {', '.join(COLUMNS)}, change_seq, version, "
                "created_at, updated_at)")
_STAGE = ("CREATE TEMPORARY TABLE household_stage (archive_id text, province text, county text, "
          "township text, village text, county_code text, township_code text, village_code text, "
          "head_name text, member_count int, status text, registration_year int, exit_year int, "
          "latitude float8, longitude float8, record jsonb, record_sha256 text, "
          "id_numbers_encrypted text, change_seq bigint) ON COMMIT DROP")


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
    query = text("SELECT archive_id, record_sha256, withdrawn_at IS NOT NULL FROM household "
                 "WHERE evaluation_id = :e AND archive_id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    rows = db.session.execute(query, {"e": evaluation_id, "ids": list(archive_ids)})
    return {archive_id: (digest, bool(withdrawn)) for archive_id, digest, withdrawn in rows}


def write_rows(evaluation_id, rows, first_seq):
    """Upsert `rows` (prepare() tuples, sorted by archive_id) numbered from first_seq.

    Returns {archive_id: household id} of every row written.
    """
    if is_postgresql():
        return _write_postgresql(evaluation_id, rows, first_seq)
    return _write_sqlite(evaluation_id, rows, first_seq)


def _write_postgresql(evaluation_id, rows, first_seq):
    cursor = _driver_connection().cursor()
    cursor.execute(_STAGE)
    with cursor.copy(f"COPY household_stage ({', '.join(COLUMNS)}, change_seq) FROM STDIN") as copy:
        for seq, row in enumerate(rows, first_seq):
            copy.write_row((*row, seq))
    cursor.execute(f"{_INSERT_HEAD} SELECT %s, {', '.join(COLUMNS)}, change_seq, 1, now(), now() "
                   f"FROM household_stage ORDER BY archive_id{_UPSERT_TAIL} RETURNING archive_id, id",
                   (evaluation_id,))
    written = dict(cursor.fetchall())
    cursor.execute("DROP TABLE household_stage")
    return written


def _write_sqlite(evaluation_id, rows, first_seq):
    now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")  # the format SQLAlchemy stores on SQLite
    marks = ", ".join("?" * (len(COLUMNS) + 5))
    params = [(evaluation_id, *row, seq, 1, now, now) for seq, row in enumerate(rows, first_seq)]
    connection = db.session.connection()
    connection.exec_driver_sql(f"{_INSERT_HEAD} VALUES ({marks}){_UPSERT_TAIL}", params)
    return existing_ids(evaluation_id, [row[0] for row in rows])


def existing_ids(evaluation_id, archive_ids):
    query = text("SELECT archive_id, id FROM household WHERE evaluation_id = :e AND archive_id IN :ids"
                 ).bindparams(bindparam("ids", expanding=True))
    return dict(db.session.execute(query, {"e": evaluation_id, "ids": list(archive_ids)}).all())


def issue_tokens(household_ids):
    """A fresh QR token for each household id; returns {household_id: token}."""
    tokens = {hid: secrets.token_urlsafe(16) for hid in household_ids}
    if not tokens:
        return tokens
    if is_postgresql():
        _driver_connection().cursor().execute(
            "INSERT INTO household_token (household_id, token, created_at) "
            "SELECT h, t, now() FROM unnest(%s::bigint[], %s::text[]) AS u(h, t)",
            (list(tokens), list(tokens.values())))
    else:
        now = utcnow().strftime("%Y-%m-%d %H:%M:%S.%f")
        db.session.connection().exec_driver_sql(
            "INSERT INTO household_token (household_id, token, created_at) VALUES (?, ?, ?)",
            [(hid, token, now) for hid, token in tokens.items()])
    return tokens


def _driver_connection():
    # The psycopg connection under the session's own connection: same transaction, no ORM in between.
    return db.session.connection().connection.driver_connection

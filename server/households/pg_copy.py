"""PostgreSQL side of bulk.py: COPY for new households and their cards, a staged upsert for changes.

All run on the psycopg connection under the session's connection (same transaction, no ORM), while the
caller holds the evaluation's change-counter lock, so no other writer can insert the same archive ids.
"""
from server.infra.extensions import db
from server.households.prepare import COLUMNS
from server.models.types import utcnow

_ALL = ("evaluation_id", *COLUMNS, "change_seq", "version", "created_at", "updated_at")
_SET = ", ".join(f"{c} = excluded.{c}" for c in COLUMNS[1:])
_STAGE = ("CREATE TEMPORARY TABLE household_stage (archive_id text, province text, county text, "
          "township text, village text, county_code text, township_code text, village_code text, "
          "head_name text, member_count int, status text, registration_year int, exit_year int, "
          "latitude float8, longitude float8, record json, record_sha256 text, "
          "id_numbers_encrypted text, change_seq bigint) ON COMMIT DROP")
# One index probe per id. A plain join or `IN (5,000 ids)` is planned as a scan of the whole table
# whenever statistics are missing or stale (autovacuum off, a fresh import): LIMIT 1 keeps the
# subquery apart, so it stays a nested loop over the unique index (archive ids are unique anyway).
_EXISTING = ("SELECT u.archive_id, h.record_sha256, h.withdrawn FROM unnest(%s::text[]) AS u(archive_id) "
             "CROSS JOIN LATERAL (SELECT record_sha256, withdrawn_at IS NOT NULL AS withdrawn "
             "FROM household WHERE evaluation_id = %s AND archive_id = u.archive_id LIMIT 1) AS h")


def _cursor():
    return db.session.connection().connection.driver_connection.cursor()


def existing(evaluation_id, archive_ids):
    rows = _cursor().execute(_EXISTING, (list(archive_ids), evaluation_id))
    return {archive_id: (digest, withdrawn) for archive_id, digest, withdrawn in rows}


def insert_new(evaluation_id, numbered):
    """COPY [(change_seq, row)] of households known to be new; returns {archive_id: id}.

    Ids come from the table's sequence first, so the rows need no RETURNING and cards can be COPYed too.
    """
    if not numbered:
        return {}
    cursor, now = _cursor(), utcnow()
    ids = [hid for hid, in cursor.execute(
        "SELECT nextval(pg_get_serial_sequence('household', 'id')) FROM generate_series(1, %s)",
        (len(numbered),))]
    with cursor.copy(f"COPY household (id, {', '.join(_ALL)}) FROM STDIN") as copy:
        for hid, (seq, row) in zip(ids, numbered):
            copy.write_row((hid, evaluation_id, *row, seq, 1, now, now))
    return {row[0]: hid for hid, (_, row) in zip(ids, numbered)}


def upsert(evaluation_id, numbered):
    """Rewrite [(change_seq, row)] of households that exist (or may): staged, one INSERT ... ON CONFLICT."""
    cursor = _cursor()
    cursor.execute(_STAGE)
    with cursor.copy(f"COPY household_stage ({', '.join(COLUMNS)}, change_seq) FROM STDIN") as copy:
        for seq, row in numbered:
            copy.write_row((*row, seq))
    cursor.execute(
        f"INSERT INTO household ({', '.join(_ALL)}) SELECT %s, {', '.join(COLUMNS)}, change_seq, 1, now(), "
        f"now() FROM household_stage ORDER BY archive_id ON CONFLICT (evaluation_id, archive_id) DO UPDATE "
        f"SET {_SET}, change_seq = excluded.change_seq, version = household.version + 1, "
        "updated_at = excluded.updated_at, withdrawn_at = NULL RETURNING archive_id, id", (evaluation_id,))
    written = dict(cursor.fetchall())
    cursor.execute("DROP TABLE household_stage")
    return written


def insert_tokens(tokens):
    """COPY {household_id: token} into household_token."""
    now = utcnow()
    with _cursor().copy("COPY household_token (household_id, token, created_at) FROM STDIN") as copy:
        for hid, token in tokens.items():
            copy.write_row((hid, token, now))

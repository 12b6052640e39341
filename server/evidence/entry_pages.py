"""A verification's chain entries, read a page at a time in order.

On PostgreSQL the page's query also checks, for each submission entry, what the database can check itself:
the covered row still holds what the entry recorded (its canonical content, actor and time, the attachments
as recorded) and its XML still hashes to the sha256 taken at ingest. That runs in the database, beside the
verifier rather than inside it, so the verifier re-reads in Python only the rows not confirmed there — to
confirm them another way or to say what changed. It also reads the next page on a second connection
while the verifier checks this one. SQLite pages confirm nothing: every row is re-read.
"""
from collections import namedtuple
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import select, text

from server.evidence import canonical
from server.infra.bulk_reads import among, as_plain_rows
from server.infra.extensions import db
from server.models import Attachment, ChainEntry

# `at` is the entry's time as the chain writes it (canonical.instant); `confirmed` is True when the
# database vouched for the covered row, else None; `has_files` whether that row has attachments.
Entry = namedtuple("Entry", "seq kind source_id actor covers content_sha256 prev_hash hash at confirmed "
                            "has_files")

_INSTANT = """to_char({} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"')"""
# canonical.submission_covers, written in SQL; attachments in code point order, as Python sorts them.
_POSTGRES_PAGE = text(f"""
SELECT e.seq, e.kind, e.source_id, e.actor, e.covers, e.content_sha256, e.prev_hash, e.hash,
       {_INSTANT.format('e.at')} AS at,
       CASE WHEN s.id IS NOT NULL
             AND e.covers = jsonb_build_object(
                   'instance_id', s.instance_id, 'root_instance_id', s.root_instance_id,
                   'deprecated_id', s.deprecated_id, 'form_version_id', s.form_version_id,
                   'enumerator_id', s.enumerator_id, 'received_at', {_INSTANT.format('s.received_at')},
                   'xml_sha256', s.xml_sha256, 'attachments', COALESCE(files.recorded, '[]'::jsonb))
             AND e.actor = COALESCE('enumerator:' || s.enumerator_id, 'anonymous')
             AND e.at = s.received_at
             AND encode(sha256(convert_to(s.xml, 'UTF8')), 'hex') = s.xml_sha256
            THEN true END AS confirmed,
       files.recorded IS NOT NULL AS has_files
FROM chain_entry e
LEFT JOIN submission s ON e.kind = 'submission' AND s.id = e.source_id
LEFT JOIN LATERAL (
    SELECT jsonb_agg(jsonb_build_array(a.name, a.sha256, a.size)
                     ORDER BY a.name COLLATE "C", a.sha256 COLLATE "C", a.size) AS recorded
    FROM attachment a WHERE a.submission_id = s.id) files ON true
WHERE e.evaluation_id = :evaluation_id AND e.seq > :after AND e.seq <= :head
ORDER BY e.seq
LIMIT :page
""")
_COLUMNS = (ChainEntry.seq, ChainEntry.kind, ChainEntry.source_id, ChainEntry.actor, ChainEntry.covers,
            ChainEntry.content_sha256, ChainEntry.prev_hash, ChainEntry.hash, ChainEntry.at)


def pages(evaluation_id, head, size):
    """The evaluation's entries with seq <= head in order, `size` at a time."""
    if db.engine.dialect.name != "postgresql":
        yield from _pages(lambda after: _sqlite_page(evaluation_id, after, head, size))
        return
    params = {"evaluation_id": evaluation_id, "head": head, "page": size}
    with ThreadPoolExecutor(1) as reader, db.engine.connect() as connection:
        def read(after):
            return as_plain_rows(connection.execute(_POSTGRES_PAGE, {**params, "after": after}))

        pending = reader.submit(read, 0)
        while entries := pending.result():
            pending = reader.submit(read, entries[-1].seq)
            yield entries


def _pages(read):
    after = 0
    while entries := read(after):
        yield entries
        after = entries[-1].seq


def _sqlite_page(evaluation_id, after, head, size):
    rows = db.session.execute(select(*_COLUMNS).where(
        ChainEntry.evaluation_id == evaluation_id, ChainEntry.seq > after, ChainEntry.seq <= head)
        .order_by(ChainEntry.seq).limit(size))
    return [Entry(*row[:-1], canonical.instant(row.at), None, None) for row in rows]


def attachment_files(submission_ids):
    """{submission id: [(name, path, sha256 recorded)]} for the files on disk of those submissions."""
    files = {}
    for sid, name, path, sha256 in db.session.execute(
            select(Attachment.submission_id, Attachment.name, Attachment.path, Attachment.sha256)
            .where(among(Attachment.submission_id, submission_ids))):
        files.setdefault(sid, []).append((name, path, sha256))
    return {sid: sorted(found) for sid, found in files.items()}

"""Writing a new submission with its attachments and its outbox event, atomically.

On PostgreSQL a new submission (not an edit) is one statement in autocommit: the three inserts
as data-modifying CTEs, so the request pays one round trip and no transaction bookkeeping; it
is atomic as any single statement is. That was a third of the request path's CPU. Edits, and
every write on SQLite, go through the session's transaction, which the caller commits.
Either way the rows are durable before the 201, and the worker is woken after the commit.
"""
from sqlalchemy import insert, text

from server.pipeline import outbox
from server.infra.database import write_returning
from server.infra.extensions import db
from server.models import Attachment, Submission
from server.models.types import utcnow
from server.pipeline.events import queue_for

EVENT = "submission.received"
_INSERT_SUBMISSION = insert(Submission.__table__).returning(Submission.__table__.c.id)

# The columns and defaults of Submission, Attachment and OutboxEvent; a test compares the rows
# this writes with those of the session path, so the two cannot drift apart unnoticed.
_NEW_IN_ONE_STATEMENT = text("""
WITH new AS (
    INSERT INTO submission (evaluation_id, form_version_id, enumerator_id, instance_id,
                            root_instance_id, deprecated_id, current, instance_name, xml, xml_sha256,
                            encrypted, device_id, user_agent, received_at, processing, pipeline_runs)
    VALUES (:evaluation_id, :form_version_id, :enumerator_id, :instance_id, :root_instance_id,
            :deprecated_id, true, :instance_name, :xml, :xml_sha256, :encrypted, :device_id,
            :user_agent, :received_at, 'pending', 0)
    RETURNING id),
files AS (
    INSERT INTO attachment (submission_id, name, content_type, size, sha256, path, received_at)
    SELECT new.id, f.name, f.content_type, f.size, f.sha256, f.path, :received_at
    FROM new, unnest(CAST(:names AS text[]), CAST(:content_types AS text[]), CAST(:sizes AS bigint[]),
                     CAST(:sha256s AS text[]), CAST(:paths AS text[]))
         AS f(name, content_type, size, sha256, path)),
event AS (
    INSERT INTO outbox_event (name, queue, payload, evaluation_id, state, created_at, attempts)
    SELECT :event, :queue, jsonb_build_object('submission_id', new.id, 'complete', :complete),
           :evaluation_id, 'pending', :received_at, 0
    FROM new)
SELECT id FROM new
""")


def add_new(row, attachments, complete, in_session=False):
    """Insert submission `row` (column values) with `attachments` (column values, files already
    in the media store) and its `submission.received` event; returns the new id.

    `in_session` (edits, which retire the old version in the same transaction) adds them to the
    session's transaction instead, as SQLite always does. Raises IntegrityError when a
    concurrent post stored the same instanceID first.
    """
    if in_session or db.engine.dialect.name != "postgresql":
        return _add_in_session(row, attachments, complete)

    queue = queue_for(EVENT)
    submission_id = write_returning(_NEW_IN_ONE_STATEMENT, {
        **row, "received_at": utcnow(), "event": EVENT, "queue": queue, "complete": bool(complete),
        **{column: [a[key] for a in attachments] for column, key in _ATTACHMENT_ARRAYS}})
    outbox.wake_soon([queue])
    return submission_id


def add_event(submission_id, evaluation_id, complete):
    """The `submission.received` event for files added to a stored submission (session path)."""
    outbox.emit_now(EVENT, {"submission_id": submission_id, "complete": bool(complete)}, evaluation_id)


_ATTACHMENT_ARRAYS = (("names", "name"), ("content_types", "content_type"), ("sizes", "size"),
                      ("sha256s", "sha256"), ("paths", "path"))


def _add_in_session(row, attachments, complete):
    connection = db.session.connection()
    submission_id = connection.execute(_INSERT_SUBMISSION, row).scalar_one()
    if attachments:
        connection.execute(insert(Attachment.__table__),
                           [{**a, "submission_id": submission_id} for a in attachments])
    add_event(submission_id, row["evaluation_id"], complete)
    return submission_id

"""`ingest`: one submission POST into rows and files (written by `store`, committed by the caller).

A submission is keyed by (evaluation, instanceID). A resend with byte-identical XML adds only the
attachments that are new or changed (split uploads arrive this way) and is otherwise a no-op; the
same instanceID with other XML is a conflict. An edit (deprecatedID) is a new row of the same
interview (root_instance_id) and carries forward the files it did not re-send. Files reach their
final place (fsynced) before the caller commits, so a committed row never points at nothing.
"""
import hashlib
from dataclasses import dataclass

from server.infra.extensions import db
from server.models import Attachment
from server.submissions.filenames import safe_filename
from server.submissions.instance_header import read_header
from server.submissions import lookup, store
from server.submissions.refusals import coded

_MAX_ID = 200  # column width of instance ids


@dataclass(frozen=True)
class Upload:
    """An attachment as received: its name and a media-store TempFile (sha256, size)."""
    name: str
    content_type: str
    temp: object


@dataclass(frozen=True)
class Device:
    device_id: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Outcome:
    """What happened: 201 when something was stored, 202 for an identical resend."""
    submission_id: int
    status: int
    stored: tuple = ()


def ingest(evaluation_id, enumerator_id, xml, uploads, device=Device(), complete=True):
    """Store submission XML `xml` (bytes) with `uploads` (list of Upload) for the evaluation.

    Keeps files in the media store and writes the rows (`store.add_new`: committed at once, or
    added to the session for the caller to commit); on an IntegrityError from a concurrent
    identical post the caller rolls back and calls again. Attachments the
    XML does not reference are ignored. Returns an Outcome. Raises Problem:
    submission.bad_attachment_name, submission.malformed_xml, submission.doctype_forbidden,
    submission.missing_form_id, form.not_found, form.not_in_audience, form.closed, form.version_not_found,
    submission.duplicate_conflict, submission.deprecated_not_found,
    submission.deprecated_not_current.
    """
    named = _by_name(uploads)
    header = read_header(xml, named.keys())
    sha256 = hashlib.sha256(xml).hexdigest()
    instance_id = header.instance_id or f"sha256:{sha256}"  # no instanceID: the content names it
    _check_ids(instance_id, header.deprecated_id)
    version_id, stored = lookup.target(evaluation_id, header.form_id, header.version, instance_id,
                                       enumerator_id)
    files = {name: named[name] for name in sorted(header.referenced)}
    if stored is not None:
        if stored.xml_sha256 != sha256:
            raise coded("submission.duplicate_conflict")
        return _add_files(stored.submission_id, evaluation_id, files, complete)
    row = dict(evaluation_id=evaluation_id, form_version_id=version_id, enumerator_id=enumerator_id,
               instance_id=instance_id, root_instance_id=instance_id, deprecated_id=header.deprecated_id,
               instance_name=(header.instance_name or "")[:300] or None,
               xml=_text(xml), xml_sha256=sha256, encrypted=header.encrypted,
               device_id=(device.device_id or "")[:200] or None,
               user_agent=(device.user_agent or "")[:300] or None)
    carried = _supersede(row, evaluation_id, xml, named) if header.deprecated_id else []
    attachments = [_attachment_row(name, upload.temp.keep(evaluation_id), upload)
                   for name, upload in files.items()]
    attachments += [{"name": old.name, "content_type": old.content_type, "size": old.size,
                     "sha256": old.sha256, "path": old.path} for old in carried]
    submission_id = store.add_new(row, attachments, complete, in_session=bool(header.deprecated_id))
    return Outcome(submission_id, 201, tuple(files))


def _attachment_row(name, path, upload):
    # Names never reach the file system (the store is content-addressed); safe_filename only
    # strips control and bidi characters from what the dashboard will show.
    return {"name": safe_filename(name), "content_type": upload.content_type, "size": upload.temp.size,
            "sha256": upload.temp.sha256, "path": path}


def _by_name(uploads):
    """{name as sent: Upload}; a name that tries to be a path is refused, not rewritten.

    Collect sends basenames of visible files only, so a separator or a leading dot (`..`, or
    `..\\` once a multipart parser has unescaped it) can only be an attack.
    """
    named = {}
    for upload in uploads:
        name = upload.name or ""
        if not name or name.startswith(".") or any(ch in name for ch in "/\\\x00"):
            raise coded("submission.bad_attachment_name")
        named[name] = upload
    return named


def _check_ids(instance_id, deprecated_id):
    if len(instance_id) > _MAX_ID or len(deprecated_id or "") > _MAX_ID:
        raise coded("submission.instance_id_too_long", limit=_MAX_ID)


def _text(xml):
    try:
        return xml.decode("utf-8")
    except UnicodeDecodeError:
        raise coded("submission.xml_not_utf8") from None


def _supersede(row, evaluation_id, xml, named):
    """Make `row` (column values) the new version of the interview it edits; returns attachments
    to carry."""
    old = lookup.submission_by_instance(evaluation_id, row["deprecated_id"])
    if old is None:
        raise coded("submission.deprecated_not_found", deprecated_id=row["deprecated_id"])
    if not old.current or not lookup.retire(old.id):
        raise coded("submission.deprecated_not_current", deprecated_id=row["deprecated_id"])
    row["root_instance_id"] = old.root_instance_id
    previous = lookup.attachments_of(old.id)
    wanted = read_header(xml, set(previous) - set(named)).referenced
    return [previous[name] for name in sorted(wanted)]


def _add_files(submission_id, evaluation_id, files, complete):
    """A resend of stored XML: store what is new or changed (split batches, retries)."""
    current = lookup.attachments_of(submission_id)
    changed = {name: up for name, up in files.items()
               if safe_filename(name) not in current
               or current[safe_filename(name)].sha256 != up.temp.sha256}
    if not changed:
        return Outcome(submission_id, 202)
    stored = _keep(submission_id, evaluation_id, changed, current)
    store.add_event(submission_id, evaluation_id, complete)
    return Outcome(submission_id, 201, stored)


def _keep(submission_id, evaluation_id, files, current):
    for name, upload in files.items():
        values = _attachment_row(name, upload.temp.keep(evaluation_id), upload)
        row = current.get(values["name"]) or Attachment(submission_id=submission_id)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.add(row)
    return tuple(files)

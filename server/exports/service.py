"""Starting and running exports. `start` records the job (the worker's `exports` queue runs it);
`run` writes the file for a job, the same for the worker and the CLI.

The outcome is written on the job record by the caller's transaction: the file is put in place (atomic
rename) just before, so a job marked done always has its whole file, and a job that dies is never done.
"""
import logging

from flask import current_app
from sqlalchemy import or_, select

from forms.labels import question_labels
from server.accounts import audit
from server.exports import files, keys, layout, records
from server.exports.flatten import Flattener
from server.exports.sinks import sink_for
from server.exports.writers import safe_file_name
from server.infra import gcpause
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Form, FormVersion, Submission
from server.pipeline import job_records
from server.submissions import decryption
from server.submissions.answers import parse_answers

log = logging.getLogger(__name__)
EVENT = "export.run"


def start(evaluation, form, params, actor, private_key=None, passphrase=None):
    """Queue an export of `form` with checked `params` (server.exports.request); caller commits.

    A private key (PEM) is checked now, so a bad one is a 400 before any job, and goes to the job alone
    (server.exports.keys), never to the database. Starting an export is audited: data leaves here.
    """
    if private_key:
        decryption.load_private_key(private_key, passphrase)
    job = job_records.start_job(evaluation.id, files.KIND, {**params, "actor": actor}, EVENT)
    db.session.flush()
    if private_key:
        keys.hand_over(job.id, private_key, passphrase)
    audit.record(actor, "export.start", f"job:{job.id}",
                 {"form": form.xml_form_id, "format": params["format"], "filters": params["filters"],
                  "decrypt": bool(private_key)}, evaluation.id)
    return job


def versions_of(form):
    """[{id, version, fields, labels}] of the versions that were published or got interviews, newest
    first (their fields make the columns)."""
    answered = select(Submission.form_version_id).where(Submission.evaluation_id == form.evaluation_id)
    rows = db.session.execute(select(FormVersion).where(
        FormVersion.form_id == form.id,
        or_(FormVersion.published_at.is_not(None), FormVersion.id.in_(answered)))
        .order_by(FormVersion.id.desc())).scalars().all()
    return [{"id": v.id, "version": v.version, "fields": v.fields or [], "labels": question_labels(v.xml)}
            for v in rows]


def run(job, progress=None, key=None, show_id_numbers=False):
    """Write the export of `job` and return its result (the caller records it on the job and commits).

    `key` is a decryption.PrivateKey for encrypted interviews, used for this run only.
    """
    progress = progress or (lambda percent, message, done=None, total=None:
                            job_records.progress(job.id, percent, message, done, total))
    params = job.params
    form = db.session.execute(select(Form).where(Form.evaluation_id == job.evaluation_id,
                                                 Form.xml_form_id == params["form_id"])).scalar()
    if form is None:
        raise Problem("export.unknown_form", msg("The form %(form_id)r no longer exists.",
                                                 form_id=params["form_id"]), 400)
    files.sweep()
    versions = versions_of(form)
    tables = layout.build(versions, form.xml_form_id)
    readers = _Readers(versions, key)
    folder = files.work_folder(job.id)
    try:
        outcome = _write(folder, tables, params, form, readers, progress, show_id_numbers)
        outcome["file"] = files.publish(job.id, outcome.pop("built"), outcome["name"])
    finally:
        files.discard(folder)
    outcome.update(expires_at=files.expires_at().isoformat(), filters=params["filters"],
                   format=params["format"], form_id=form.xml_form_id,
                   versions=[v["version"] for v in reversed(versions)], undecrypted=readers.undecrypted)
    return outcome


def _write(folder, tables, params, form, readers, progress, show_id_numbers):
    version_ids = [v["id"] for v in readers.versions.values()] or [-1]
    total = records.count(version_ids, params["filters"])
    _check_size(params, total)
    sink = sink_for(folder, tables, params, safe_file_name(form.xml_form_id))
    flattener = Flattener(tables, show_id_numbers)
    counts = {t.name: 0 for t in tables}
    statuses, done = {}, 0
    progress(1, f"0 / {total} interviews", 0, total)
    batches = records.batches(version_ids, params["filters"], with_attachments=params["format"] == "zip")
    while True:
        # The collector paused per batch: a batch is some 100,000 acyclic dicts and lists that reference
        # counting frees, and walking them took as long as the rest of the export (server/infra/gcpause.py).
        with gcpause.paused():
            batch = next(batches, None)
            if batch is None:
                break
            rows = {t.name: [] for t in tables}
            for record in batch:
                flattener.add(record, readers.data_of(record), rows)
                sink.media(record, readers.decrypted_media.pop(record.id, None))
                status = record.review_status or records.UNCHECKED
                statuses[status] = statuses.get(status, 0) + 1
            for name, table_rows in rows.items():
                sink.add(name, table_rows)
                counts[name] += len(table_rows)
        done += len(batch)
        progress(min(99, 1 + 98 * done // max(total, 1)), f"{done} / {total} interviews", done, total)
    built, name = sink.finish()
    progress(100, f"{done} interviews written", done, total)
    return {"built": built, "name": name, "interviews": done, "rows": counts, "statuses": statuses}


def _check_size(params, total):
    limit = current_app.config["EXPORT_STATS_MAX_ROWS"]
    if params["format"] in ("sav", "dta") and total > limit:
        raise Problem("export.too_large", msg("SPSS and Stata exports hold at most %(limit)d interviews "
                                              "(%(total)d match): narrow the filters, or export CSV.",
                                              limit=limit, total=total), 400)


class _Readers:
    """The answers of each record: as the worker parsed them, else parsed (or decrypted) here."""

    def __init__(self, versions, key):
        self.versions = {v["id"]: v for v in versions}
        self.key, self.undecrypted = key, 0
        self.decrypted_media = {}  # record id -> {name: bytes} of the interview just decrypted

    def data_of(self, record):
        readable = record.answers is not None and not record.answers.get("encrypted")
        # An interview a decryption run opened is read as stored, unless a key is given for its media.
        if readable and not (record.encrypted and self.key is not None):
            return record.answers.get("data")
        fields = self.versions.get(record.form_version_id, {}).get("fields", [])
        try:
            xml = self._plain_xml(record)
            return None if xml is None else parse_answers(xml, fields)["data"]
        except Problem as problem:
            log.warning("export: interview %s cannot be read: %s", record.instance_id, problem.message)
            return None

    def _plain_xml(self, record):
        if not record.encrypted:
            return record.xml
        if self.key is None:
            self.undecrypted += 1
            return None
        plain = decryption.decrypt_submission(record.xml, decryption.stored_parts(record.id), self.key)
        self.decrypted_media[record.id] = plain.media
        return plain.xml

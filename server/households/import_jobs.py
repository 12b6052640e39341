"""A register file uploaded through the API, imported by a worker (a 1 M-row file takes minutes).

`start` runs at the request: the checks that need only the bytes (size, type, zip bomb, encoding, empty)
answer at once, and nothing is stored or queued for a file that fails them. `run` is the worker's half:
it reads the file, validates every record and writes them all or none, in the event's transaction, and
records the outcome on the job. The stored file holds ID numbers in clear, so it is removed as soon as the
job has an outcome.
"""
import io
import os

from server.households import tabular, upload_checks
from server.infra import stored_files
from server.infra.errors import Problem
from server.infra.extensions import db
from server.infra.i18n import msg
from server.models import JobRecord
from server.pipeline import job_records

KIND = EVENT = "households.import"


def start(evaluation, stream, filename, actor, lang):
    """The queued JobRecord of the file's import (the caller commits); raises the upload checks' Problem."""
    _, data = upload_checks.read_checked(stream, filename)  # refused now, from its bytes, or never
    job = job_records.start_job(evaluation.id, KIND, {}, EVENT)
    path = f"uploads/{job.id}/register{os.path.splitext(filename)[1].lower()}"
    stored_files.store_bytes(path, data)
    job.params = {"path": path, "filename": filename, "actor": actor, "lang": lang}
    return job


def run(job):
    """Import the job's file and record the outcome on the job; its writes join the caller's transaction."""
    params = job.params
    try:
        data = stored_files.read_bytes(params["path"])
    except FileNotFoundError:
        gone = Problem("import.upload_gone", msg("The uploaded file is no longer on the server (the import "
                                                 "was interrupted); send it again."), 410)
        return fail(job, gone)
    try:
        with db.session.begin_nested():
            records, lines = tabular.read_upload(io.BytesIO(data), params["filename"])
            result = tabular.import_records(job.evaluation_id, records, lines, params["actor"],
                                            progress=_watcher(job.id), commit=_in_transaction)
    except Problem as problem:
        if problem.status >= 500:
            raise
        fail(job, problem)
    else:
        job.state, job.progress, job.message, job.result, job.error = "done", 100, "imported", result, None
    _remove(params["path"])


def fail(job, problem):
    job.state, job.message = "failed", "failed"
    job.error = problem.localized((job.params or {}).get("lang", "zh"))
    job.result = job_records.failure(problem)
    _remove((job.params or {}).get("path"))


def mark_failed(job_id, last_error):
    """The event failed for good (an unexpected error, retried): the job shows it."""
    job = db.session.get(JobRecord, job_id)
    if job is not None and job.state not in ("done", "failed"):
        fail(job, Problem("import.failed", msg("The import failed: %(error)s", error=last_error), 500))


def _in_transaction(work):
    return work()  # the worker's event transaction commits it, with the job's outcome


def _watcher(job_id):
    def progress(done, total, phase):
        percent = int(100 * done / total) if total else 0
        job_records.progress(job_id, percent, phase.render("en") if hasattr(phase, "render") else str(phase),
                             done, total)
    return progress


def _remove(path):
    if path:
        try:
            os.unlink(stored_files.media_path(path))
            os.rmdir(os.path.dirname(stored_files.media_path(path)))
        except OSError:
            pass

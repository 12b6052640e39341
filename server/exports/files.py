"""Where export files live and how they appear: MEDIA_ROOT/exports/<job id>/<name>.

A job works in a private folder and moves its one finished file into place with an atomic rename, so a
file that is there is whole, two exports (each its own job id) never write the same file, and a job that
dies leaves only its work folder, which `sweep` removes with the expired files.
"""
import os
import shutil
import tempfile
from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from server.infra.extensions import db
from server.models import JobRecord
from server.models.types import utcnow

ROOT = "exports"
KIND = "export"


def job_folder(job_id):
    return os.path.join(current_app.config["MEDIA_ROOT"], ROOT, job_id)


def work_folder(job_id):
    """A fresh folder for one run of a job (a re-run after a crash gets another)."""
    folder = job_folder(job_id)
    os.makedirs(folder, exist_ok=True)
    return tempfile.mkdtemp(prefix=".work-", dir=folder)


def publish(job_id, built, name):
    """Move the finished file `built` to its place; returns its path relative to MEDIA_ROOT."""
    target = os.path.join(job_folder(job_id), name)
    with open(built, "rb+") as handle:
        os.fsync(handle.fileno())
    os.replace(built, target)
    return os.path.relpath(target, current_app.config["MEDIA_ROOT"])


def absolute(relative):
    return os.path.join(current_app.config["MEDIA_ROOT"], relative)


def expires_at(now=None):
    return (now or utcnow()) + timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"])


def sweep(now=None):
    """Remove export files past their time, and what jobs that never finished left; returns how many
    jobs' files were removed. The job records stay (marked expired), so a late download gets a clear 410."""
    now = now or utcnow()
    removed = 0
    cutoff = now - timedelta(hours=current_app.config["EXPORT_KEEP_HOURS"])
    jobs = db.session.execute(select(JobRecord).where(JobRecord.kind == KIND,
                                                      JobRecord.updated_at < cutoff)).scalars()
    for job in jobs:
        if job.state in ("queued", "running"):
            _remove_work_folders(job.id)  # a run that died a day ago left these; a retry makes its own
            continue
        if (job.result or {}).get("expired"):
            continue
        shutil.rmtree(job_folder(job.id), ignore_errors=True)
        job.result = {**(job.result or {}), "expired": True}
        removed += 1
    return removed


def _remove_work_folders(job_id):
    folder = job_folder(job_id)
    if os.path.isdir(folder):
        for name in os.listdir(folder):
            if name.startswith(".work-"):
                shutil.rmtree(os.path.join(folder, name), ignore_errors=True)


def discard(folder):
    shutil.rmtree(folder, ignore_errors=True)

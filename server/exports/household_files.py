"""Every household file (一户一档, server/feed/household_file.py) of one village in one ZIP, as an export job:
queued on the `exports` queue and written into the export store, so it is followed, downloaded and removed
as exports are (server.exports.jobs, server.exports.files). Inside: `<village code>/<archive id>.zip`, each
the very file the household's own download gives, so `fieldcheck chain check-file` verifies each one."""
import os
import shutil
import tempfile
import zipfile

from sqlalchemy import select

from server.accounts import audit
from server.exports import files
from server.feed import household_file
from server.infra.errors import Problem
from server.infra.extensions import db
from server.infra.i18n import msg
from server.models import Evaluation, Household
from server.pipeline import job_records

EVENT = "household_files.run"
FORMAT = "household_files"


def start(evaluation, village_code, actor):
    """Queue the files of the village's households (caller commits); a village with none is a 404 now."""
    count = len(_archive_ids(evaluation.id, village_code))
    if not count:
        raise Problem("household.village_empty", msg("No household of the register lies in village "
                                                     "%(village)r.", village=village_code), 404)
    params = {"format": FORMAT, "village_code": village_code, "filters": {}, "actor": actor}
    job = job_records.start_job(evaluation.id, files.KIND, params, EVENT)
    db.session.flush()
    audit.record(actor, "household_files.start", f"job:{job.id}",
                 {"village_code": village_code, "households": count}, evaluation.id)
    return job


def run(job, progress=None):
    """Write the village's household files into the export store; returns the job's result."""
    progress = progress or (lambda percent, message: job_records.progress(job.id, percent, message))
    files.sweep()
    evaluation = db.session.get(Evaluation, job.evaluation_id)
    village, actor = job.params["village_code"], job.params["actor"]
    archive_ids = _archive_ids(evaluation.id, village)
    name = f"{evaluation.code}-{village}-household-files.zip"
    folder = files.work_folder(job.id)
    try:
        built = os.path.join(folder, name)
        with zipfile.ZipFile(built, "w", zipfile.ZIP_STORED, allowZip64=True) as outer:
            for number, archive_id in enumerate(archive_ids):
                progress(int(100 * number / len(archive_ids)), f"household {number + 1}")
                _add_household(outer, evaluation, archive_id, actor, f"{village}/{archive_id}.zip")
        relative = files.publish(job.id, built, name)
    finally:
        files.discard(folder)
    audit.record(actor, "household.files", f"village:{village}", {"households": len(archive_ids)},
                 evaluation.id)
    progress(100, "household files written")
    return {"file": relative, "name": name, "format": FORMAT, "village_code": village,
            "households": len(archive_ids), "filters": {}, "expires_at": files.expires_at().isoformat()}


def _add_household(outer, evaluation, archive_id, actor, entry_name):
    """One household's ZIP, written to a temporary file (ZIP needs to seek), copied in without holding it."""
    household = household_file.find_household(evaluation, archive_id)
    with tempfile.TemporaryFile() as one:
        household_file.write(evaluation, household, one, actor)
        one.seek(0)
        with outer.open(entry_name, "w", force_zip64=True) as entry:
            shutil.copyfileobj(one, entry, 1 << 20)


def _archive_ids(evaluation_id, village_code):
    return db.session.execute(select(Household.archive_id).where(
        Household.evaluation_id == evaluation_id, Household.village_code == village_code)
        .order_by(Household.archive_id)).scalars().all()

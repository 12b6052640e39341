"""Start converting an uploaded XLSForm (and its media files) in the background: the API and the dashboard
both call `start`, a worker step (worker/steps/forms.py) does the work and records the outcome on the job.

What can be told at once is told at once: a file that is not a spreadsheet, too large, or a zip bomb is
refused here from its bytes and zip directory alone (nothing inflated), and nothing is stored or queued.
"""
from forms import FormError, Limits, safety
from server.infra import stored_files
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.pipeline import job_records
from server.submissions.filenames import safe_filename

LIMITS = Limits()
MAX_MEDIA_FILES = 100
MAX_MEDIA_BYTES = 50 * 2**20  # each


def check_source(source, filename, lang="zh"):
    """Problem (422, 413 when too large) with FormError's code and located details when the upload
    cannot be an XLSForm; else None."""
    try:
        ext = safety.file_type(filename, lang)
        safety.read_checked(source, ext, LIMITS, lang)
    except FormError as error:
        status = 413 if error.code == "form.too_large" else 422
        raise Problem(error.code, error.message, status, error.details) from None


def start(evaluation, source, filename, actor, media=(), publish=False, field_map=None, lang="zh", hosts=()):
    """Queue the conversion of `source` (bytes named `filename`) with `media` [(name, bytes, type)];
    returns the JobRecord (the caller commits). Publishes when converted if `publish` and nothing is
    missing. `hosts`: the names this server answers to (a form's own submission_url is dropped, not
    refused). Raises Problem form.not_xlsform, form.too_large, form.zip_bomb, form.too_many_media,
    form.media_too_large."""
    check_source(source, filename, lang)
    media = list(media)
    if len(media) > MAX_MEDIA_FILES:
        raise Problem("form.too_many_media",
                      msg("At most %(count)d media files in one upload.", count=MAX_MEDIA_FILES), 413)
    big = next((name for name, data, _ in media if len(data) > MAX_MEDIA_BYTES), None)
    if big is not None:
        raise Problem("form.media_too_large",
                      msg("%(name)r is larger than %(mb)d MB.", name=big, mb=MAX_MEDIA_BYTES // 2**20), 413,
                      [{"field": "media", "filename": big, "message": "too large"}])
    params = {"filename": filename, "publish": bool(publish), "field_map": field_map, "lang": lang,
              "actor": actor, "hosts": list(hosts)}  # this server's names: the worker has no request
    job = job_records.start_job(evaluation.id, "form.convert", params, "form.convert")
    params["source_path"] = f"uploads/{job.id}/{safe_filename(filename)}"
    stored_files.store_bytes(params["source_path"], source)
    params["media"] = []
    for i, (name, data, content_type) in enumerate(media):
        path = f"uploads/{job.id}/media/{i}"
        stored_files.store_bytes(path, data)
        params["media"].append({"filename": name, "path": path, "content_type": content_type})
    job.params = params
    return job

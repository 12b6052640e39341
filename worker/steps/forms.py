"""Worker steps for forms: convert an uploaded XLSForm (thousands of rows take seconds) off the requests."""
from server.questionnaires import forms_service
from server.pipeline import job_records
from server.infra import stored_files
from server.infra.errors import Problem
from server.infra.extensions import db
from server.models import Evaluation, JobRecord


def convert_form(event):
    """Compile the uploaded source into a draft (and publish it if asked); record the outcome on the job.

    The outcome is written in the event's own transaction, so it commits together with the event.
    """
    job = db.session.get(JobRecord, event.payload["job_id"])
    if job is None or job.state in ("done", "failed"):
        return  # already handled: running the step twice changes nothing
    job_records.progress(job.id, 10, "reading the XLSForm")
    unpublished = None
    try:
        with db.session.begin_nested():
            version = _convert(job)
            if job.params.get("publish"):
                version, unpublished = _publish(version, job.params)
    except Problem as problem:  # the error in the upload's language, as its FormError messages are
        job.state, job.message, job.error = "failed", "failed", problem.localized(_lang(job.params))
        job.result = job_records.failure(problem)
        return
    if unpublished is not None:  # the draft stays: upload the missing files, then publish it
        job.state, job.progress, job.message, job.error = "failed", 100, "converted, not published", \
            unpublished.localized(_lang(job.params))
        job.result = {**_result(version), **job_records.failure(unpublished)}
        return
    job.state, job.progress, job.message, job.error = "done", 100, "converted", None
    job.result = _result(version)


def _lang(params):
    return params.get("lang", "zh")


def _convert(job):
    params = job.params
    source = stored_files.read_bytes(params["source_path"])
    evaluation = db.session.get(Evaluation, job.evaluation_id)
    lang, field_map = params.get("lang", "zh"), params.get("field_map")
    job_records.progress(job.id, 30, "converting and validating")
    compiled, _ = forms_service.compile_source(source, params["filename"], lang, field_map)
    job_records.progress(job.id, 80, "storing")
    version = forms_service.upload_form(evaluation, source, params["filename"], params["actor"], lang,
                                        field_map, compiled, hosts=params.get("hosts", ()))
    for media in params.get("media") or ():  # sent with the XLSForm (the dashboard's upload)
        forms_service.add_media(version, media["filename"], stored_files.read_bytes(media["path"]),
                                params["actor"], media.get("content_type"))
    db.session.flush()
    return version


def _publish(version, params):
    """(published version, None); a form.media_missing refusal gives (the kept draft, the Problem)."""
    try:
        with db.session.begin_nested():
            return forms_service.publish_version(version, params["actor"], params.get("lang", "zh")), None
    except Problem as problem:
        if problem.code != "form.media_missing":
            raise
        return version, problem


def _result(version):
    db.session.flush()
    return {"form_id": version.form.xml_form_id, "version_id": version.id, "version": version.version,
            "published": version.published_at is not None,
            "missing_media": forms_service.missing_media(version)}

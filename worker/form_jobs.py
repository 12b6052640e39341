"""Worker steps for forms: convert an uploaded XLSForm (thousands of rows take seconds) off the requests."""
from server import forms_service, job_records, stored_files
from server.errors import Problem
from server.extensions import db
from server.models import Evaluation, JobRecord


def convert_form(event):
    """Compile the uploaded source into a draft (and publish it if asked); record the outcome on the job.

    The outcome is written in the event's own transaction, so it commits together with the event.
    """
    job = db.session.get(JobRecord, event.payload["job_id"])
    if job is None or job.state in ("done", "failed"):
        return  # already handled: running the step twice changes nothing
    job_records.progress(job.id, 10, "reading the XLSForm")
    try:
        with db.session.begin_nested():
            result = _convert(job)
    except Problem as problem:
        job.state, job.message, job.error = "failed", "failed", problem.message
        job.result = {"code": problem.code, "details": problem.details}
        return
    job.state, job.progress, job.message, job.result, job.error = "done", 100, "converted", result, None


def _convert(job):
    params = job.params
    source = stored_files.read_bytes(params["source_path"])
    evaluation = db.session.get(Evaluation, job.evaluation_id)
    lang, field_map = params.get("lang", "zh"), params.get("field_map")
    job_records.progress(job.id, 30, "converting and validating")
    compiled, _ = forms_service.compile_source(source, params["filename"], lang, field_map)
    job_records.progress(job.id, 80, "storing")
    version = forms_service.upload_form(evaluation, source, params["filename"], params["actor"], lang,
                                        field_map, compiled)
    if params.get("publish"):
        version = forms_service.publish_version(version, params["actor"])
    db.session.flush()
    return {"form_id": version.form.xml_form_id, "version_id": version.id, "version": version.version,
            "published": version.published_at is not None,
            "missing_media": forms_service.missing_media(version)}

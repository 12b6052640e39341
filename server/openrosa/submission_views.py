"""HEAD/GET and POST /submission: the preflight Collect needs, and the short durable ingest."""
from flask import g, request
from sqlalchemy.exc import IntegrityError

from server import submissions
from server.infra import media_store
from server.infra import rate_limits
from server.infra.extensions import db
from server.openrosa.blueprint import bp
from server.openrosa.multipart import read_body
from server.openrosa.responses import coded_response

_CODES = {201: "submission.success", 202: "submission.duplicate"}


@bp.get("/submission")
def submission_preflight():
    # Flask answers HEAD through GET. 204, and no Location: Collect would follow it (item 34).
    return "", 204


@bp.post("/submission")
@rate_limits.counted("SUBMISSIONS", lambda: g.openrosa_caller.enumerator_id)
def submission_post():
    caller = g.openrosa_caller
    body = read_body(request.stream, request.headers.get("Content-Type"), media_store.new_temp)
    try:
        uploads = [submissions.Upload(p.name, p.content_type, p.temp) for p in body.parts]
        device = submissions.Device(request.args.get("deviceID"), request.headers.get("User-Agent"))
        outcome = _ingest_and_commit(caller, body, uploads, device)
    finally:
        body.discard()  # temp files: stored ones were linked away, the rest were not wanted
    return coded_response(_CODES[outcome.status])


def _ingest_and_commit(caller, body, uploads, device):
    for attempt in (1, 2):
        try:
            outcome = submissions.ingest(caller.evaluation_id, caller.enumerator_id, body.xml, uploads,
                                         device, complete=not body.incomplete)
            db.session.commit()
            return outcome
        except IntegrityError:
            # A concurrent identical post won the insert: read again and answer as a resend.
            db.session.rollback()
            if attempt == 2:
                raise
        except BaseException:
            db.session.rollback()
            raise

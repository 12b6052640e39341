"""The household register API: batch upsert, read, list, withdraw, changes feed, file upload, QR cards."""
import io

import orjson
from flask import Response, jsonify, request, send_file, url_for

from server.infra import gcpause
from server.api.blueprint import bp
from server.api.auth import current_principal, requires
from server.api.household_schemas import (BatchResultSchema, CardSchema, ChangesQuerySchema,
                                          ChangesSchema, HouseholdInterviewsSchema, HouseholdOutSchema,
                                          HouseholdPageSchema, InterviewsQuerySchema,
                                          ListQuerySchema, TemplateQuerySchema, VillageListSchema,
                                          WithdrawRequestSchema)
from server.api.forms import JobSchema, UploadAnswerSchema, request_lang
from server.api.openapi import XLSX, documented
from server.api.route_examples import (BATCH_ANSWER, BATCH_EXAMPLE, CARD, CURRENT_CARD_ANSWER, HOUSEHOLD,
                                       HOUSEHOLD_CHANGES_ANSWER, HOUSEHOLD_INTERVIEWS_ANSWER,
                                       HOUSEHOLD_PAGE_ANSWER, IMPORT_STARTED_ANSWER, REVOKED_CARD_ANSWER,
                                       VILLAGES_ANSWER, WITHDRAWN_HOUSEHOLD, WITHDRAW_EXAMPLE)
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.households import cards, idempotency, import_jobs, queries, search, service, tokens
from server.households import template as register_template
from server.households.retry import commit_with_retries
from server.households.schema import HouseholdSchema
from server.pipeline import job_records
from server.recusal import interview_table

BATCH_BODY_LIMIT = 64 * 1024 * 1024
UPLOAD_LIMIT = 100 * 1024 * 1024
PREFIX = "/evaluations/<code>/households"


@bp.post(f"{PREFIX}/batch")
@documented("Upsert up to 5,000 households, all or none", request=HouseholdSchema(many=True),
            response=BatchResultSchema, example=BATCH_EXAMPLE, response_example=BATCH_ANSWER, description=msg(
                "Keyed by archive_id. Any invalid record rejects the whole batch (422) with every error "
                "listed as {index, archive_id, field, message}. Resending an unchanged record changes "
                "nothing. Send `Idempotency-Key` to make a retry safe: the same key and body get the "
                "first reply again; the same key with another body gets 409. Bodies over 64 MB: 413."))
@requires("register")
def upsert_batch(evaluation):
    key = request.headers.get("Idempotency-Key")
    if key is not None:
        idempotency.check_key(key)
    with gcpause.paused():
        records = _json_body(BATCH_BODY_LIMIT)
        evaluation_id, actor = evaluation.id, current_principal().name
        # End the auth transaction (it updated the token's last_used_at) so validation holds no row lock.
        db.session.commit()
        digest = idempotency.request_hash(records) if key else None
        rows = service.prepare_batch(service.check_batch(records))
        del records
        result = commit_with_retries(lambda: service.apply_batch(evaluation_id, rows, actor, key, digest))
    return jsonify(BatchResultSchema().dump(result))


def _json_body(limit):
    if request.content_length is not None and request.content_length > limit:
        raise Problem("request.too_large", msg("The body is larger than %(mb)d MB; send smaller batches.",
                                               mb=limit // 2**20), 413)
    request.max_content_length = limit  # also bounds chunked bodies that name no length
    raw = request.get_data(cache=False)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Problem("request.bad_encoding", msg("The body is not valid UTF-8."), 400) from None
        raise Problem("request.bad_json",
                      msg("The body is not JSON: %(error)s", error=str(exc)), 400) from None


@bp.get(f"{PREFIX}/<archive_id>")
@documented("One household (ID numbers masked)", response=HouseholdOutSchema, response_example=HOUSEHOLD)
@requires("read")
def get_household(evaluation, archive_id):
    return jsonify(HouseholdOutSchema().dump(service.get_household(evaluation.id, archive_id)))


@bp.get(PREFIX)
@documented("List households, ordered by archive_id, with a cursor", query=ListQuerySchema,
            response=HouseholdPageSchema, response_example=HOUSEHOLD_PAGE_ANSWER)
@requires("read")
def list_households(evaluation):
    args = ListQuerySchema().load(request.args)
    if "q" in args:
        rows, next_cursor = search.search(evaluation.id, args["q"], args.get("village_code"),
                                          args.get("status"), args.get("cursor"), args["limit"])
    else:
        rows, next_cursor = queries.list_page(evaluation.id, **args)
    return jsonify(HouseholdPageSchema().dump({"items": rows, "next_cursor": next_cursor}))


@bp.get(f"{PREFIX}/<archive_id>/interviews")
@documented("The interviews of one household, newest first", query=InterviewsQuerySchema,
            response=HouseholdInterviewsSchema, response_example=HOUSEHOLD_INTERVIEWS_ANSWER)
@requires("read")
def household_interviews(evaluation, archive_id):
    args = InterviewsQuerySchema().load(request.args)
    service.get_household(evaluation.id, archive_id)  # 404 for a household not in the register
    items, cursor = interview_table.page(evaluation, {"household": archive_id}, cursor=args.get("after"))
    return jsonify(HouseholdInterviewsSchema().dump({"items": items, "next_cursor": cursor}))


@bp.get("/evaluations/<code>/villages")
@documented("The villages of the register with their active households (for the card sheets)",
            response=VillageListSchema, response_example=VILLAGES_ANSWER)
@requires("read")
def list_villages(evaluation):
    return jsonify(VillageListSchema().dump({"villages": search.villages(evaluation.id)}))


@bp.get("/evaluations/<code>/register/template")
@documented("An empty register file to fill in: the current schema's columns with their allowed values",
            query=TemplateQuerySchema, content_type=(XLSX, "text/csv"), description=(
                "format=xlsx (default): the register sheet with drop-down lists and a notes sheet; csv: the "
                "header row; notes: each column's required flag, allowed values and meaning, as CSV."))
@requires("read")
def register_template_file(evaluation):
    name, write, mimetype = register_template.files()[TemplateQuerySchema().load(request.args)["format"]]
    out = io.BytesIO()
    write(out)
    out.seek(0)
    return send_file(out, mimetype=mimetype, as_attachment=True, download_name=name)


@bp.get(f"{PREFIX}/changes")
@documented("Households changed since a change_seq (the archive system's feed)", query=ChangesQuerySchema,
            response=ChangesSchema, response_example=HOUSEHOLD_CHANGES_ANSWER)
@requires("read")
def household_changes(evaluation):
    args = ChangesQuerySchema().load(request.args)
    rows, more = queries.changes(evaluation.id, args["since"], args["limit"])
    next_since = rows[-1].change_seq if rows else args["since"]
    return jsonify(ChangesSchema().dump({"items": rows, "next_since": next_since, "has_more": more}))


@bp.delete(f"{PREFIX}/<archive_id>")
@documented("Withdraw a household (kept, marked withdrawn)", response=HouseholdOutSchema,
            response_example=WITHDRAWN_HOUSEHOLD)
@requires("register")
def delete_household(evaluation, archive_id):
    return _withdraw(evaluation, archive_id, "")


@bp.post(f"{PREFIX}/<archive_id>/withdraw")
@documented("Withdraw a household, with a reason", request=WithdrawRequestSchema, response=HouseholdOutSchema,
            example=WITHDRAW_EXAMPLE, response_example=WITHDRAWN_HOUSEHOLD)
@requires("register")
def withdraw_household(evaluation, archive_id):
    body = WithdrawRequestSchema().load(request.get_json(silent=True) or {})
    return _withdraw(evaluation, archive_id, body["reason"])


def _withdraw(evaluation, archive_id, reason):
    evaluation_id, actor = evaluation.id, current_principal().name
    household = commit_with_retries(lambda: service.withdraw(evaluation_id, archive_id, actor, reason))
    return jsonify(HouseholdOutSchema().dump(household))


@bp.post(f"{PREFIX}/import")
@documented("Upload a CSV, XLSX or JSON-lines register file (multipart field 'file'), all or none; "
            "imported by a worker", response=UploadAnswerSchema, status=202,
            response_example=IMPORT_STARTED_ANSWER, description=msg(
                "Columns: the template (GET .../register/template), `fieldcheck households import --help`. "
                "The file is checked at once, before it is read: at most 100 MB (413 import.too_large), its "
                "content must be what its name says (400 import.not_xlsx, import.old_excel, "
                "import.spreadsheet_as_text), an .xlsx whose zip would inflate far beyond its size is "
                "refused (400 import.zip_bomb), a CSV must be UTF-8 (400 import.gbk names the line where GBK "
                "text starts). Otherwise the answer is a job: follow status_url. When done, its result "
                "counts received, created, updated and unchanged records; a refused file's job has failed "
                "with result.code and result.details naming the line (CSV line, XLSX row), the file's column "
                "and the field, and nothing was imported."))
@requires("register")
def import_file(evaluation):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Problem("request.no_file", msg("Send the file as the multipart form field 'file'."), 400)
    job = import_jobs.start(evaluation, upload.stream, upload.filename, current_principal().name,
                            request_lang())
    db.session.commit()
    status_url = url_for("api.get_job", code=evaluation.code, job_id=job.id)
    answer = {"job": JobSchema().dump(job_records.live_view(job)), "status_url": status_url}
    return jsonify(answer), 202, {"Location": status_url}


@bp.post(f"{PREFIX}/<archive_id>/card")
@documented("Revoke the household's QR card and issue a new one", response=CardSchema, status=201,
            response_example=CARD)
@requires("register")
def reissue_card(evaluation, archive_id):
    household = service.get_household(evaluation.id, archive_id)
    token, revoked = tokens.revoke(household, current_principal().name, reissue=True)
    db.session.commit()
    body = {"archive_id": archive_id, "token": token, "url": tokens.card_url(token), "revoked": revoked}
    return jsonify(CardSchema().dump(body)), 201


@bp.get(f"{PREFIX}/<archive_id>/card")
@documented("The household's current QR card: its token and the URL the QR encodes", response=CardSchema,
            response_example=CURRENT_CARD_ANSWER)
@requires("read")
def current_card(evaluation, archive_id):
    household = service.get_household(evaluation.id, archive_id)
    token = tokens.active_token(household.id)
    if token is None:
        raise Problem("card.none",
                      msg("The household %(archive_id)r has no active card.", archive_id=archive_id),
                      404)
    return jsonify(CardSchema().dump({"archive_id": archive_id, "token": token, "url": tokens.card_url(token),
                                      "revoked": []}))


@bp.delete(f"{PREFIX}/<archive_id>/card")
@documented("Revoke the household's QR card without a new one", response=CardSchema,
            response_example=REVOKED_CARD_ANSWER)
@requires("register")
def revoke_card(evaluation, archive_id):
    household = service.get_household(evaluation.id, archive_id)
    _, revoked = tokens.revoke(household, current_principal().name, reissue=False)
    db.session.commit()
    return jsonify(CardSchema().dump({"archive_id": archive_id, "revoked": revoked}))


@bp.get("/evaluations/<code>/villages/<village_code>/cards")
@documented("The print sheet of a village's QR cards (HTML, one card per household)",
            content_type="text/html")
@requires("read")
def village_cards(evaluation, village_code):
    return Response(cards.render_sheet(evaluation, village_code), mimetype="text/html")

"""The household register API: batch upsert, read, list, withdraw, changes feed, file upload, QR cards."""
import orjson
from flask import Response, jsonify, request

from server import gcpause
from server.api import bp
from server.api.auth import current_principal, requires
from server.api.household_schemas import (BatchResultSchema, CardSchema, ChangesQuerySchema, ChangesSchema,
                                          HouseholdOutSchema, HouseholdPageSchema, ImportResultSchema,
                                          ListQuerySchema, WithdrawRequestSchema)
from server.api.openapi import documented
from server.errors import Problem
from server.extensions import db
from server.households import cards, idempotency, queries, service, tabular, tokens
from server.households.retry import commit_with_retries
from server.households.schema import HouseholdSchema

BATCH_BODY_LIMIT = 64 * 1024 * 1024
UPLOAD_LIMIT = 100 * 1024 * 1024
PREFIX = "/evaluations/<code>/households"


@bp.post(f"{PREFIX}/batch")
@documented("Upsert up to 5,000 households, all or none", request=HouseholdSchema(many=True),
            response=BatchResultSchema, description=(
                "Keyed by archive_id. Any invalid record rejects the whole batch (422) with every error "
                "listed as {index, archive_id, field, message}. Resending an unchanged record changes "
                "nothing. Send `Idempotency-Key` to make a retry safe: the same key and body get the "
                "first reply again; the same key with another body gets 409. Bodies over 64 MB: 413."))
@requires("import")
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
        raise Problem("request.too_large", f"The body is larger than {limit // 2**20} MB; send smaller "
                      "batches.", 413)
    request.max_content_length = limit  # also bounds chunked bodies that name no length
    raw = request.get_data(cache=False)
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Problem("request.bad_encoding", "The body is not valid UTF-8.", 400) from None
        raise Problem("request.bad_json", f"The body is not JSON: {exc}", 400) from None


@bp.get(f"{PREFIX}/<archive_id>")
@documented("One household (ID numbers masked)", response=HouseholdOutSchema)
@requires("read")
def get_household(evaluation, archive_id):
    return jsonify(HouseholdOutSchema().dump(service.get_household(evaluation.id, archive_id)))


@bp.get(PREFIX)
@documented("List households, ordered by archive_id, with a cursor", query=ListQuerySchema,
            response=HouseholdPageSchema)
@requires("read")
def list_households(evaluation):
    args = ListQuerySchema().load(request.args)
    rows, next_cursor = queries.list_page(evaluation.id, **args)
    return jsonify(HouseholdPageSchema().dump({"items": rows, "next_cursor": next_cursor}))


@bp.get(f"{PREFIX}/changes")
@documented("Households changed since a change_seq (the archive system's feed)", query=ChangesQuerySchema,
            response=ChangesSchema)
@requires("read")
def household_changes(evaluation):
    args = ChangesQuerySchema().load(request.args)
    rows, more = queries.changes(evaluation.id, args["since"], args["limit"])
    next_since = rows[-1].change_seq if rows else args["since"]
    return jsonify(ChangesSchema().dump({"items": rows, "next_since": next_since, "has_more": more}))


@bp.delete(f"{PREFIX}/<archive_id>")
@documented("Withdraw a household (kept, marked withdrawn)", response=HouseholdOutSchema)
@requires("import")
def delete_household(evaluation, archive_id):
    return _withdraw(evaluation, archive_id, "")


@bp.post(f"{PREFIX}/<archive_id>/withdraw")
@documented("Withdraw a household, with a reason", request=WithdrawRequestSchema, response=HouseholdOutSchema)
@requires("import")
def withdraw_household(evaluation, archive_id):
    body = WithdrawRequestSchema().load(request.get_json(silent=True) or {})
    return _withdraw(evaluation, archive_id, body["reason"])


def _withdraw(evaluation, archive_id, reason):
    evaluation_id, actor = evaluation.id, current_principal().name
    household = commit_with_retries(lambda: service.withdraw(evaluation_id, archive_id, actor, reason))
    return jsonify(HouseholdOutSchema().dump(household))


@bp.post(f"{PREFIX}/import")
@documented("Upload a CSV or XLSX register file (multipart field 'file'), all or none",
            response=ImportResultSchema, description="Columns: see `fieldcheck households import --help`. "
            "Errors name the line (CSV, XLSX row) instead of the record index.")
@requires("import")
def import_file(evaluation):
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise Problem("request.no_file", "Send the file as multipart form field 'file'.", 400)
    evaluation_id, actor = evaluation.id, current_principal().name
    records, lines = tabular.read_upload(upload.stream, upload.filename)
    result = tabular.import_records(evaluation_id, records, lines, actor)
    return jsonify(ImportResultSchema().dump(result))


@bp.post(f"{PREFIX}/<archive_id>/card")
@documented("Revoke the household's QR card and issue a new one", response=CardSchema, status=201)
@requires("import")
def reissue_card(evaluation, archive_id):
    household = service.get_household(evaluation.id, archive_id)
    token, revoked = tokens.revoke(household, current_principal().name, reissue=True)
    db.session.commit()
    body = {"archive_id": archive_id, "token": token, "url": tokens.card_url(token), "revoked": revoked}
    return jsonify(CardSchema().dump(body)), 201


@bp.delete(f"{PREFIX}/<archive_id>/card")
@documented("Revoke the household's QR card without a new one", response=CardSchema)
@requires("import")
def revoke_card(evaluation, archive_id):
    household = service.get_household(evaluation.id, archive_id)
    _, revoked = tokens.revoke(household, current_principal().name, reissue=False)
    db.session.commit()
    return jsonify(CardSchema().dump({"archive_id": archive_id, "revoked": revoked}))


@bp.get("/evaluations/<code>/villages/<village_code>/cards")
@documented("The print sheet of a village's QR cards (HTML, one card per household)")
@requires("read")
def village_cards(evaluation, village_code):
    return Response(cards.render_sheet(evaluation, village_code), mimetype="text/html")

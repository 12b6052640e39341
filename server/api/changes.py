"""The archive feed over HTTP: GET /evaluations/<code>/changes?after=CURSOR, pages the archive system reads
and resumes from the last `next_cursor` it stored (server/feed); and one household's file (一户一档)."""
from urllib.parse import quote

import orjson
from flask import Response, request, send_file, url_for
from marshmallow import Schema, fields, validate

from server.api.auth import current_principal, requires
from server.api.blueprint import bp
from server.api.openapi import documented
from server.api.route_examples import FEED_ANSWER
from server.api.rules import LocalisedSchema
from server.feed import changes as feed
from server.feed import household_file
from server.infra.extensions import db


class FeedQuerySchema(Schema):
    after = fields.String(load_default=None, validate=validate.Length(0, 200), metadata={
        "description": "the `next_cursor` of the last page read; leave out to start from the beginning"})
    limit = fields.Integer(load_default=feed.PAGE_DEFAULT, validate=validate.Range(1, feed.PAGE_MAX))


class FeedFindingSchema(Schema):
    code = fields.String()
    rule_version = fields.Integer()
    severity = fields.String()
    outcome = fields.String(metadata={"description": "found, could_not_run or not_applicable"})
    message = fields.Nested(LocalisedSchema)
    reason = fields.String()
    evidence = fields.Dict()


class FeedDecisionSchema(Schema):
    decision = fields.String()
    reason = fields.String()
    codes = fields.List(fields.String())
    actor = fields.String()
    decided_at = fields.DateTime()


class FeedVerdictSchema(Schema):
    flag = fields.String(metadata={"description": "wrong_exit, missed, wrong_inclusion"})
    decision = fields.String(metadata={"description": "confirm or reject"})
    reason = fields.String()
    actor = fields.String()
    decided_at = fields.DateTime()


class FeedAttachmentSchema(Schema):
    name = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    sha256 = fields.String()
    url = fields.String(metadata={"description": "download with the same credentials"})


class FeedReconciliationSchema(Schema):
    household_type = fields.String(allow_none=True)
    discrepancies = fields.List(fields.Dict(), metadata={
        "description": "the comparisons whose verdict is differs"})
    comparisons = fields.List(fields.Dict(), metadata={
        "description": "every comparison {item, record, answer, tolerance, verdict}"})
    classification = fields.Dict()


class FeedItemSchema(Schema):
    instance_id = fields.String()
    root_instance_id = fields.String()
    deprecated_id = fields.String(allow_none=True)
    current = fields.Boolean(metadata={"description": "false once an edit replaced this version (as it was "
                                                      "when the item was read)"})
    form_id = fields.String()
    form_version = fields.String()
    enumerator = fields.String(allow_none=True)
    household = fields.String(allow_none=True, metadata={"description": "archive id"})
    village_code = fields.String(allow_none=True)
    received_at = fields.DateTime()
    processed_at = fields.DateTime(allow_none=True)
    processing = fields.String()
    status = fields.String(allow_none=True)
    encrypted = fields.Boolean()
    xml_sha256 = fields.String(metadata={"description": "sha256 of the XML as received"})
    answers = fields.Dict(allow_none=True)
    findings = fields.List(fields.Nested(FeedFindingSchema))
    reconciliation = fields.Nested(FeedReconciliationSchema, allow_none=True)
    decisions = fields.List(fields.Nested(FeedDecisionSchema))
    classification_reviews = fields.List(fields.Nested(FeedVerdictSchema))
    attachments = fields.List(fields.Nested(FeedAttachmentSchema))


class FeedPageSchema(Schema):
    items = fields.List(fields.Nested(FeedItemSchema))
    next_cursor = fields.String(metadata={"description": "pass as `after` for the next page (store it)"})
    has_more = fields.Boolean()


@bp.get("/evaluations/<code>/changes")
@documented("The archive feed: interviews in the order they last changed, resumable by cursor",
            query=FeedQuerySchema, response=FeedPageSchema, response_example=FEED_ANSWER, description=(
                "Each interview appears again whenever what it shows changes (its checks, a review decision, "
                "a classification verdict), with its current state. Every version of an interview is an "
                "item of its own: an edit arrives as a new item whose `deprecated_id` names the version it "
                "replaces; the edit does not send that version again, so retire it by that id. Store "
                "`next_cursor` with what you processed; reading from it again after any restart (yours or "
                "ours) misses nothing and repeats nothing. A cursor that is malformed or from another "
                "evaluation: 400 feed.bad_cursor. "
                "Interviews appear once they are checked; a transaction still writing holds the feed back "
                "until it ends, so a page may be short or empty while has_more is false: poll again."))
@requires("feed")
def feed_changes(evaluation):
    args = FeedQuerySchema().load(request.args)
    page = feed.changes(evaluation, args["after"], args["limit"])
    # One url_for per page, not per file: every file's URL is the same path with other names in it.
    suffix = "I/attachments/N"
    prefix = url_for("api.get_attachment", code=evaluation.code, instance_id="I", name="N",
                     _external=True)[:-len(suffix)]
    for item in page.items:
        base = f"{prefix}{quote(item['instance_id'], safe=':')}/attachments/"
        for attachment in item["attachments"]:
            attachment["url"] = base + quote(attachment["name"], safe="")
    body = {"items": page.items, "next_cursor": page.next_cursor, "has_more": page.has_more}
    return Response(orjson.dumps(body, option=orjson.OPT_NON_STR_KEYS), mimetype="application/json")


@bp.get("/evaluations/<code>/households/<archive_id>/file")
@documented("One file per household (一户一档): a ZIP of its interviews (XML as received, the interview as the "
            "feed gives it, media), the chain entries covering them, a manifest with every file's sha256 "
            "and a printable summary in Chinese; `fieldcheck chain check-file` verifies it offline",
            content_type="application/zip")
@requires("feed")
def household_file_zip(evaluation, archive_id):
    stream, name = household_file.download(evaluation, archive_id, current_principal().name)
    db.session.commit()
    return send_file(stream, mimetype="application/zip", as_attachment=True, download_name=name)

"""The evidence chain through the API: verify it (the first entry that does not match, and why) and read
its daily digest, which the archive system or a notary keeps outside fieldcheck."""
from flask import jsonify, request
from marshmallow import Schema, fields

from server.api.auth import requires
from server.api.blueprint import bp
from server.api.openapi import documented
from server.api.route_examples import CHAIN_DIGEST_ANSWER, CHAIN_VERIFICATION_ANSWER
from server.evidence import digest as chain_digest
from server.evidence.verify import verify


class ChainHeadSchema(Schema):
    seq = fields.Integer(metadata={"description": "the head entry's position = the number of entries"})
    hash = fields.String()


class ChainMismatchSchema(Schema):
    seq = fields.Integer()
    kind = fields.String(metadata={"description": "submission, review or classification"})
    source_id = fields.Integer()
    what = fields.String(metadata={"description": "entry (the chain), row (the covered row) or file"})
    detail = fields.String()


class ChainVerificationSchema(Schema):
    ok = fields.Boolean()
    head = fields.Nested(ChainHeadSchema, metadata={"description": "the head the verification started from"})
    checked = fields.Integer(metadata={"description": "entries verified before the first mismatch"})
    first_mismatch = fields.Nested(ChainMismatchSchema, allow_none=True)


class ChainDigestSchema(Schema):
    evaluation = fields.String()
    date = fields.String(metadata={"description": "YYYY-MM-DD, China time"})
    entries = fields.Integer()
    hash = fields.String(metadata={"description": "the hash of the day's last entry"})
    head_chained_at = fields.String(allow_none=True)
    statement = fields.String(metadata={"description": "one line to sign, file or notarise"})


@bp.get("/evaluations/<code>/chain/verify")
@documented("Verify the evidence chain against the stored rows and attachment files",
            response=ChainVerificationSchema, response_example=CHAIN_VERIFICATION_ANSWER)
@requires("read")
def verify_chain(evaluation):
    return jsonify(ChainVerificationSchema().dump(verify(evaluation.id).as_dict()))


@bp.get("/evaluations/<code>/chain/digest")
@documented("The chain's head at the end of a day (?date=YYYY-MM-DD, default today)",
            response=ChainDigestSchema, response_example=CHAIN_DIGEST_ANSWER)
@requires("read")
def chain_digest_of_day(evaluation):
    day = request.args.get("date")
    found = chain_digest.digest(evaluation, chain_digest.parse_day(day) if day is not None else None)
    return jsonify(ChainDigestSchema().dump(found))

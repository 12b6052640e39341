"""A decryption run through the API: the private key of an encrypted form opens the interviews waiting as
"encrypted, not checked"; they are then checked and counted like any other. The key is used for this
request only and stored nowhere (server/submissions/decryption_run.py)."""
from dataclasses import asdict

from flask import jsonify, request
from marshmallow import Schema, fields, validate

from server.api.auth import current_principal, requires
from server.api.blueprint import bp
from server.api.openapi import documented
from server.api.route_examples import DECRYPTION_ANSWER, DECRYPTION_EXAMPLE
from server.infra.extensions import db
from server.submissions import decryption, decryption_run

MAX_KEY_CHARS = 20000  # a 4096-bit PEM key is some 3,300 characters


class DecryptionRequestSchema(Schema):
    private_key = fields.String(required=True, validate=validate.Length(1, MAX_KEY_CHARS), metadata={
        "description": "PEM private key of the encrypted form; used for this run only, never stored"})
    passphrase = fields.String(validate=validate.Length(max=1000),
                               metadata={"description": "the private key's passphrase"})
    form = fields.String(metadata={"description": "only this form_id's interviews (default: every form)"})
    after = fields.Integer(load_default=0, validate=validate.Range(min=0),
                           metadata={"description": "next_cursor of the previous call"})
    limit = fields.Integer(load_default=decryption_run.PAGE,
                           validate=validate.Range(1, decryption_run.PAGE_MAX),
                           metadata={"description": "interviews to open in this call"})


class DecryptionFailureSchema(Schema):
    instance_id = fields.String()
    code = fields.String(metadata={"description": "decryption.missing_part (not all sent yet), "
                                                  "decryption.bad_signature, decryption.corrupt, ..."})
    message = fields.String()


class DecryptionResultSchema(Schema):
    decrypted = fields.Integer(metadata={"description": "interviews opened and queued to be checked"})
    not_opened = fields.Integer(metadata={"description": "interviews of a form this key does not open"})
    failed = fields.List(fields.Nested(DecryptionFailureSchema),
                         metadata={"description": "interviews this key should open but could not"})
    queued = fields.Integer(metadata={"description": "re-checks queued"})
    next_cursor = fields.Integer(allow_none=True, metadata={"description": "more wait: call again with "
                                                                           "after = next_cursor"})


@bp.post("/evaluations/<code>/decryptions")
@documented("A decryption run: open the encrypted interviews that wait unchecked with the form's private "
            "key, so they are checked and counted like any other (the key is never stored)",
            request=DecryptionRequestSchema, response=DecryptionResultSchema,
            example=DECRYPTION_EXAMPLE, response_example=DECRYPTION_ANSWER)
@requires("review")
def run_decryption(evaluation):
    body = DecryptionRequestSchema().load(request.get_json(silent=True) or {})
    key = decryption.load_private_key(body["private_key"], body.get("passphrase"))
    result = decryption_run.run(evaluation, key, current_principal().name, body.get("form"), body["after"],
                                body["limit"])
    db.session.commit()
    return jsonify(DecryptionResultSchema().dump(asdict(result)))

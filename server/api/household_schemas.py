"""Response and query schemas of the household API (the record itself is server.households.schema)."""
from marshmallow import Schema, fields, validate

from server.households import codes


class BatchResultSchema(Schema):
    received = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    last_change_seq = fields.Integer(metadata={"description": "Read the changes feed from here on."})
    replayed = fields.Boolean(metadata={"description": "True when this is the stored reply to a "
                                                       "repeated Idempotency-Key."})


class HouseholdOutSchema(Schema):
    archive_id = fields.String()
    county_code = fields.String()
    township_code = fields.String()
    village_code = fields.String()
    village = fields.String()
    head_name = fields.String()
    member_count = fields.Integer()
    status = fields.String()
    version = fields.Integer()
    change_seq = fields.Integer()
    withdrawn_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()
    record = fields.Dict(metadata={"description": "The record as loaded; ID numbers appear only "
                                                  "masked (id_number_masked)."})


class HouseholdPageSchema(Schema):
    items = fields.List(fields.Nested(HouseholdOutSchema))
    next_cursor = fields.String(allow_none=True)


class ListQuerySchema(Schema):
    cursor = fields.String()
    limit = fields.Integer(load_default=100, validate=validate.Range(1, 1000))
    county_code = fields.String(validate=validate.Regexp(r"^\d{6}$"))
    township_code = fields.String(validate=validate.Regexp(r"^\d{9}$"))
    village_code = fields.String(validate=validate.Regexp(r"^\d{12}$"))
    status = fields.String(validate=validate.OneOf(tuple(codes.STATUSES)))
    withdrawn = fields.Boolean(metadata={"description": "true: only withdrawn; false: only active; "
                                                        "absent: all."})


class ChangeSchema(Schema):
    archive_id = fields.String()
    change_seq = fields.Integer()
    version = fields.Integer()
    status = fields.String()
    record_sha256 = fields.String(metadata={"description": "Keyed digest; equal digest, equal record."})
    withdrawn_at = fields.DateTime(allow_none=True)
    updated_at = fields.DateTime()


class ChangesSchema(Schema):
    items = fields.List(fields.Nested(ChangeSchema))
    next_since = fields.Integer()
    has_more = fields.Boolean()


class ChangesQuerySchema(Schema):
    since = fields.Integer(load_default=0, validate=validate.Range(0))
    limit = fields.Integer(load_default=1000, validate=validate.Range(1, 5000))


class WithdrawRequestSchema(Schema):
    reason = fields.String(load_default="", validate=validate.Length(0, 500))


class CardSchema(Schema):
    archive_id = fields.String()
    token = fields.String()
    url = fields.String(metadata={"description": "What the QR code encodes."})
    revoked = fields.List(fields.String(), metadata={"description": "Tokens revoked by this call."})


class ImportResultSchema(BatchResultSchema):
    batches = fields.Integer()

"""Response and query schemas of the household API (the record itself is server.households.schema)."""
from marshmallow import Schema, fields, validate

from server.households import codes

# One valid record, as the OpenAPI document's example of a batch (ID number and names are made up).
RECORD_EXAMPLE = {
    "archive_id": "150782101201009001", "province": "内蒙古自治区", "province_code": "150000",
    "county": "阿尔山市", "county_code": "150782", "township": "白狼镇", "township_code": "150782101",
    "village": "第1村", "village_code": "150782101201", "group": "一组", "head_name": "赵芬秀",
    "phone": "13800000000", "registration_year": 2014, "poverty_attribute": "general",
    "main_cause": "illness",
    "other_causes": ["lack_skills"], "status": "exited", "exit_year": 2018,
    "members": [{"name": "赵芬秀", "sex": "male", "relation": "head", "birth_date": "1959-04-16",
                 "id_number": "150782195904164728", "health": "chronic", "labour": "skilled",
                 "school": "not_in_school"}],
    "income": [{"year": 2019, "per_capita_net": 5100.0}],
    "indicators": {"food": True, "clothing": True, "water": True, "education": True, "medical": True,
                   "housing": True},
    "location": {"latitude": 47.1794, "longitude": 119.9487},
}


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
    q = fields.String(validate=validate.Length(1, 100), metadata={
        "description": "Search: the start of the household or village code, or part of the head's or the "
                       "village's name (with village_code and status; not with county_code, township_code, "
                       "withdrawn)."})
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


class HouseholdInterviewSchema(Schema):
    instance_id = fields.String()
    received_at = fields.DateTime()
    day = fields.String(allow_none=True, metadata={"description": "interview day (China)"})
    review_status = fields.String(allow_none=True)
    findings = fields.Integer()
    enumerator = fields.String(attribute="username", allow_none=True)


class HouseholdInterviewsSchema(Schema):
    items = fields.List(fields.Nested(HouseholdInterviewSchema))
    next_cursor = fields.String(allow_none=True,
                                metadata={"description": "pass as ?after= for the next page"})


class InterviewsQuerySchema(Schema):
    after = fields.String(validate=validate.Length(1, 100))


class VillageSchema(Schema):
    village_code = fields.String()
    village = fields.String()
    township = fields.String()
    households = fields.Integer(metadata={"description": "active households"})


class VillageListSchema(Schema):
    villages = fields.List(fields.Nested(VillageSchema))


class TemplateQuerySchema(Schema):
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("xlsx", "csv", "notes")))

"""The household record as the archive system sends it: marshmallow schemas, loaded once and reused.

One record per household (一户一档). Unknown fields are refused. Kept lean on purpose: loading
these schemas is most of the cost of an import (see bench/bench_import.py), so validators are plain
functions and the schema instances are built once at import time.
"""
import re

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from server.households import codes, idcard

MAX_MEMBERS = 30


def _choice(options):
    return fields.String(required=True, validate=validate.OneOf(tuple(options)))


UNKNOWN = "unknown"  # a value of its own: the archive does not say (never an error)


def _optional_choice(options):
    return fields.String(load_default=UNKNOWN, validate=validate.OneOf((*options, UNKNOWN)))


def _pattern(regex, message):
    compiled = re.compile(regex)

    def check(value):
        if not compiled.fullmatch(value):
            raise ValidationError(message)
    return check


def _id_number(value):
    reason = idcard.problem_with(value)
    if reason:
        raise ValidationError(reason)


_name = validate.Length(1, 100)
_year = validate.Range(2013, 2035)


class MemberSchema(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=_name)
    sex = _choice(codes.SEXES)
    relation = _choice(codes.RELATIONS)
    birth_date = fields.Date(required=True)
    id_number = fields.String(allow_none=True, validate=_id_number)
    health = _optional_choice(codes.HEALTH)
    labour = _optional_choice(codes.LABOUR)
    school = _optional_choice(codes.SCHOOL)

    @validates_schema
    def _birth_date_matches_id(self, data, **kwargs):
        number = data.get("id_number")
        if number and idcard.birth_date(number) != data["birth_date"]:
            raise ValidationError("the birth date inside the ID number differs from birth_date", "id_number")


class IncomeSchema(Schema):
    year = fields.Integer(required=True, strict=True, validate=validate.Range(2010, 2035))
    per_capita_net = fields.Float(required=True, validate=validate.Range(-1e7, 1e8))


class IndicatorSchema(Schema):
    """两不愁三保障: true = assured, false = not assured, null = not assessed."""

    food = fields.Boolean(allow_none=True)
    clothing = fields.Boolean(allow_none=True)
    water = fields.Boolean(allow_none=True)
    education = fields.Boolean(allow_none=True)
    medical = fields.Boolean(allow_none=True)
    housing = fields.Boolean(allow_none=True)


class HelperSchema(Schema):
    """帮扶责任人; a change of helper is a new row, so the list is the history."""

    name = fields.String(required=True, validate=_name)
    unit = fields.String(load_default="", validate=validate.Length(0, 200))
    level = fields.String(allow_none=True, validate=validate.OneOf(tuple(codes.HELPER_LEVELS)))
    phone = fields.String(allow_none=True, validate=_pattern(r"\+?[0-9 -]{5,20}", "not a phone number"))
    start = fields.Date(required=True)
    end = fields.Date(allow_none=True)


class MeasureSchema(Schema):
    category = _choice(codes.MEASURES)
    name = fields.String(required=True, validate=validate.Length(1, 200))
    year = fields.Integer(allow_none=True, strict=True, validate=_year)
    amount = fields.Float(allow_none=True, validate=validate.Range(0, 1e9))


class LocationSchema(Schema):
    latitude = fields.Float(required=True, validate=validate.Range(-90, 90))
    longitude = fields.Float(required=True, validate=validate.Range(-180, 180))


class HouseholdSchema(Schema):
    """One archive record. Unknown fields (here and in every nested object) are refused."""

    archive_id = fields.String(required=True, validate=_pattern(
        r"[0-9A-Za-z_-]{1,64}", "1-64 letters, digits, '-' or '_'"))
    province = fields.String(required=True, validate=_name)
    province_code = fields.String(allow_none=True, validate=_pattern(r"\d{2}(0000)?", "2 or 6 digits"))
    county = fields.String(required=True, validate=_name)
    county_code = fields.String(required=True, validate=_pattern(r"\d{6}", "6 digits"))
    township = fields.String(required=True, validate=_name)
    township_code = fields.String(required=True, validate=_pattern(r"\d{9}", "9 digits"))
    village = fields.String(required=True, validate=_name)
    village_code = fields.String(required=True, validate=_pattern(r"\d{12}", "12 digits"))
    group = fields.String(allow_none=True, validate=_name)
    head_name = fields.String(required=True, validate=_name)
    phone = fields.String(allow_none=True, validate=_pattern(r"\+?[0-9 -]{5,20}", "not a phone number"))
    members = fields.List(fields.Nested(MemberSchema), required=True,
                          validate=validate.Length(1, MAX_MEMBERS))
    registration_year = fields.Integer(required=True, strict=True, validate=_year)
    poverty_attribute = _choice(codes.POVERTY_ATTRIBUTES)
    main_cause = _choice(codes.CAUSES)
    other_causes = fields.List(fields.String(validate=validate.OneOf(tuple(codes.CAUSES))),
                               validate=validate.Length(0, 2))
    status = _choice(codes.STATUSES)
    exit_year = fields.Integer(allow_none=True, strict=True, validate=_year)
    # 返贫: the year an exited household fell back into poverty (status returned), when it happened.
    return_year = fields.Integer(allow_none=True, strict=True, validate=_year)
    income = fields.List(fields.Nested(IncomeSchema))
    indicators = fields.Nested(IndicatorSchema, allow_none=True)
    helpers = fields.List(fields.Nested(HelperSchema))
    measures = fields.List(fields.Nested(MeasureSchema))
    location = fields.Nested(LocationSchema, allow_none=True)
    # A card printed before the import (already on the door): its token, taken as the household's first
    # card; never stored in the record.
    card_token = fields.String(validate=_pattern(r"[A-Za-z0-9_-]{8,128}",
                                                 "8-128 letters, digits, '-' or '_'"))

    @validates_schema
    def _consistent(self, data, **kwargs):
        errors = {}
        for check in (_codes_agree, _exit_year_fits, _return_year_fits, _causes_distinct, _one_head,
                      _income_years_unique):
            for field, message in check(data):
                errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)


def _codes_agree(data):
    county, township = data["county_code"], data["township_code"]
    if data.get("province_code") and county[:2] != data["province_code"][:2]:
        yield "county_code", "does not start with the province code"
    if township[:6] != county:
        yield "township_code", "does not start with the county code"
    if data["village_code"][:9] != township:
        yield "village_code", "does not start with the township code"


def _exit_year_fits(data):
    exit_year = data.get("exit_year")
    if data["status"] == "not_exited":
        if exit_year is not None:
            yield "exit_year", "must be empty while the household has not exited"
    elif exit_year is None:
        yield "exit_year", "is required when the status is exited or returned"
    elif exit_year < data["registration_year"]:
        yield "exit_year", "is before the registration year"


def _return_year_fits(data):
    returned = data.get("return_year")
    if returned is None:
        return
    if data["status"] == "not_exited" or data.get("exit_year") is None:
        yield "return_year", "a household that never exited cannot have returned to poverty"
    elif returned < data["exit_year"]:
        yield "return_year", "is before the exit year"


def _causes_distinct(data):
    others = data.get("other_causes") or []
    if data["main_cause"] in others or len(set(others)) != len(others):
        yield "other_causes", "must differ from each other and from main_cause"


def _one_head(data):
    heads = [m["name"] for m in data["members"] if m["relation"] == "head"]
    if len(heads) != 1:
        yield "members", "exactly one member must have relation 'head'"
    elif heads[0] != data["head_name"]:
        yield "head_name", "differs from the name of the member whose relation is 'head'"


def _income_years_unique(data):
    years = [row["year"] for row in data.get("income") or ()]
    if len(set(years)) != len(years):
        yield "income", "each year may appear once"


# Built once: constructing a schema is costly, loading with a ready instance is not.
HOUSEHOLD = HouseholdSchema()
HOUSEHOLDS = HouseholdSchema(many=True)

"""An evaluation's reconciliation settings: the defaults with its overrides merged on top, validated.

Stored in `Evaluation.settings["reconciliation"]`. Sections listed in MERGED are merged key by key at
every depth (an override of the 2019 poverty line keeps 2013 and 2020; lists are replaced); every other
section is replaced whole.
"""
import copy
import hashlib
import json

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from server.reconciliation.defaults import DEFAULTS

MERGED = ("poverty_lines", "tolerances", "thresholds", "identification", "satisfaction", "income",
          "backcheck", "endorsement", "cause_map", "assistance_map", "assurances", "assurance_keys",
          "rules")
FLAGS = ("wrongly_registered", "missed", "wrongly_exited")
HOUSEHOLD_TYPES = ("exited", "poor", "non_registered")


def effective(evaluation_settings):
    """The effective settings dict: DEFAULTS with `evaluation_settings["reconciliation"]` merged in."""
    overrides = (evaluation_settings or {}).get("reconciliation") or {}
    merged = copy.deepcopy(DEFAULTS)
    for key, value in overrides.items():
        if key in MERGED and isinstance(value, dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def _merge(base, override):
    """Dicts merge key by key at every depth; anything else (lists, numbers) is replaced."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def sha256(settings):
    body = json.dumps(settings, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


class ReconciliationConditionSchema(Schema):
    class Meta:
        unknown = RAISE

    key = fields.String()
    test = fields.String(validate=validate.OneOf(("below_line", "assurance_failed")))
    reason = fields.String()
    values = fields.List(fields.Raw(), data_key="in")

    @validates_schema
    def _one_kind(self, data, **kwargs):
        if ("key" in data) == ("test" in data):
            raise ValidationError("a condition has either `key` and `in`, or `test`")
        if "key" in data and "values" not in data:
            raise ValidationError("a `key` condition needs `in`")


class ReconciliationRuleSchema(Schema):
    class Meta:
        unknown = RAISE

    applies_to = fields.List(fields.String(validate=validate.OneOf(HOUSEHOLD_TYPES)), required=True)
    any = fields.List(fields.Nested(ReconciliationConditionSchema), required=True)


def _line_table(value):
    for year, line in (value or {}).items():
        if not str(year).isdigit() or not isinstance(line, (int, float)) or line <= 0:
            raise ValidationError(f"poverty line {year!r}: {line!r} is not a positive number for a year")


class BackcheckSettingsSchema(Schema):
    share = fields.Float(validate=validate.Range(0.0, 1.0, min_inclusive=False))
    form_id = fields.String()
    interview_form_id = fields.String()
    fields_ = fields.Dict(keys=fields.String(), values=fields.Dict(), data_key="fields")


class ReconciliationSettingsSchema(Schema):
    """The body of PUT .../reconciliation/settings: any subset of the sections (see defaults.py)."""

    class Meta:
        unknown = RAISE

    poverty_lines = fields.Dict(keys=fields.String(), values=fields.Dict(validate=_line_table),
                                metadata={"description": "{'national' | province code or name: "
                                                         "{year: yuan}}"})
    tolerances = fields.Dict(keys=fields.String(), values=fields.Float(validate=validate.Range(0)))
    assurances = fields.Dict(keys=fields.String(),
                             values=fields.List(fields.Nested(ReconciliationConditionSchema)))
    assurance_keys = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    rules = fields.Dict(keys=fields.String(validate=validate.OneOf(FLAGS)),
                        values=fields.Nested(ReconciliationRuleSchema))
    endorsement = fields.Dict(metadata={"description": "{items: [keys], answers: [values]}"})
    satisfaction = fields.Dict()
    cause_map = fields.Dict(keys=fields.String(), values=fields.String())
    assistance_map = fields.Dict(keys=fields.String(), values=fields.String())
    income = fields.Dict()
    count_statuses = fields.List(fields.String(validate=validate.OneOf(("clean", "review", "cleared"))))
    thresholds = fields.Dict(keys=fields.String(),
                             values=fields.List(fields.Raw(), validate=validate.Length(2)))
    identification = fields.Dict()
    backcheck = fields.Nested(BackcheckSettingsSchema)


SCHEMA = ReconciliationSettingsSchema()


def load(body):
    """Validate an override body; returns it as given (not the loaded form: `in` keeps its name).

    Raises marshmallow ValidationError.
    """
    SCHEMA.load(body or {})
    return copy.deepcopy(body or {})

"""The schema of an evaluation's reconciliation overrides (PUT .../reconciliation/settings).

Kept apart from reconciliation.py so that reading the effective settings (every app start installs a
hook that does) does not import marshmallow.
"""
import copy

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from server.evaluation_settings.reconciliation import FLAGS, HOUSEHOLD_TYPES, THRESHOLD_OPS


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


def _threshold(value):
    if len(value) != 2:
        return  # Length says so
    op, limit = value
    if op not in THRESHOLD_OPS:
        raise ValidationError(f"the comparison is one of {', '.join(THRESHOLD_OPS)}, not {op!r}")
    if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not 0 <= limit <= 1:
        raise ValidationError(f"the threshold is a share between 0 and 1, not {limit!r}")


class IdentificationSettingsSchema(Schema):
    class Meta:
        unknown = RAISE

    formula = fields.String(validate=validate.OneOf(("both", "wrongly_registered")))
    wrongly_registered_unit = fields.String(validate=validate.OneOf(("persons", "households")))


class IncomeSettingsSchema(Schema):
    class Meta:
        unknown = RAISE

    divisor = fields.String(validate=validate.Length(1, 64))
    income_year = fields.Integer(strict=True, allow_none=True, validate=validate.Range(1990, 2100))


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
    income = fields.Nested(IncomeSettingsSchema)
    count_statuses = fields.List(fields.String(validate=validate.OneOf(("clean", "review", "cleared"))))
    thresholds = fields.Dict(keys=fields.String(), values=fields.List(
        fields.Raw(), validate=[validate.Length(2, 2), _threshold]),
        metadata={"description": "{figure: [\"<\" | \"<=\" | \">=\", share 0..1]}"})
    identification = fields.Nested(IdentificationSettingsSchema)
    backcheck = fields.Nested(BackcheckSettingsSchema)


SCHEMA = ReconciliationSettingsSchema()


def load(body):
    """Validate an override body; returns it as given (not the loaded form: `in` keeps its name).

    Raises marshmallow ValidationError.
    """
    SCHEMA.load(body or {})
    return copy.deepcopy(body or {})

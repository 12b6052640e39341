"""A fast path for loading records: a marshmallow schema compiled into plain closures.

marshmallow costs ~400 µs per household record here, most of an import's time budget. `compile_schema`
walks the schema's declared fields once and builds closures that accept only the plain, unambiguous
cases (a str for a String, an int for a strict Integer, "YYYY-MM-DD" for a Date, ...) and produce
exactly what `schema.load` would. Anything else raises `Defer`, and the caller loads that record with
the real schema, which decides and words the errors. So the schema stays the one definition of the
record; a field type or hook the compiler does not know fails at import time, not silently.
"""
import math
import re
from datetime import date

from marshmallow import RAISE, ValidationError, fields, validate
from marshmallow.utils import missing

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class Defer(Exception):
    """The fast path cannot decide this value; load the record with marshmallow."""


def compile_schema(schema):
    """Return `load(dict) -> dict` equivalent to `schema.load` on what it accepts; raises Defer."""
    if schema.unknown != RAISE or schema.many:
        raise TypeError("compile_schema supports single schemas that refuse unknown fields")
    plan = tuple(_plan_field(name, field) for name, field in schema.load_fields.items())
    known = frozenset(schema.load_fields)
    hooks = tuple(_hooks(schema))

    def load(data):
        if type(data) is not dict or not known.issuperset(data):
            raise Defer
        out = {}
        for name, required, default, convert in plan:
            value = data.get(name, missing)
            if value is missing:
                if required:
                    raise Defer
                if default is not missing:
                    out[name] = default() if callable(default) else default
                continue
            out[name] = convert(value)
        for hook in hooks:
            hook(out)
        return out
    return load


def _hooks(schema):
    for tag, entries in schema._hooks.items():
        if tag != "validates_schema":
            raise TypeError(f"compile_schema does not support {tag} hooks")
        for attr_name, many, options in entries:
            if many or options.get("pass_original"):
                raise TypeError("compile_schema supports plain validates_schema hooks only")
            yield _guarded(getattr(schema, attr_name))


def _guarded(hook):
    def run(data):
        try:
            hook(data, partial=None, many=False, unknown=RAISE)
        except ValidationError:
            raise Defer from None
    return run


def _plan_field(name, field):
    if field.data_key not in (None, name) or field.pre_load or field.post_load:
        raise TypeError(f"compile_schema: field {name!r} uses an unsupported option")
    return name, field.required, field.load_default, _converter(field)


def _converter(field):
    base = _base_converter(field)
    checks = tuple(_check(v) for v in field.validators)
    allow_none = field.allow_none
    if not checks and not allow_none:
        return base  # every base converter defers on None already

    def convert(value):
        if value is None:
            if allow_none:
                return None
            raise Defer
        out = base(value)
        for check in checks:
            check(out)
        return out
    return convert


def _base_converter(field):
    kind = type(field)
    if kind is fields.Nested:
        if field.many or field.only or field.exclude or field.unknown:
            raise TypeError("compile_schema supports plain Nested fields only")
        return compile_schema(field.schema)
    if kind is fields.List:
        inner = _converter(field.inner)
        return lambda value: [inner(v) for v in value] if type(value) is list else _defer()
    if kind is fields.Integer and field.strict:
        return lambda value: value if type(value) is int else _defer()
    if kind is fields.Float and not field.allow_nan:
        return _float
    if kind is fields.Date and field.format in (None, "iso"):
        return _date
    simple = {fields.String: str, fields.Boolean: bool}.get(kind)
    if simple is None:
        raise TypeError(f"compile_schema does not support {kind.__name__}")
    return lambda value: value if type(value) is simple else _defer()


def _defer():
    raise Defer


def _float(value):
    if type(value) is float and math.isfinite(value):
        return value
    if type(value) is int and abs(value) < 2 ** 53:
        return float(value)
    raise Defer


def _date(value):
    if type(value) is not str or not _DATE.fullmatch(value):
        raise Defer
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Defer from None


def _check(validator):
    kind = type(validator)
    if kind is validate.OneOf:
        choices = frozenset(validator.choices)
        return lambda value: None if value in choices else _defer()
    if kind is validate.Range:
        return _range(validator)
    if kind is validate.Length:
        return _length(validator)
    return _guarded_validator(validator)


def _range(v):
    low, high = v.min, v.max

    def check(value):
        if low is not None and (value < low if v.min_inclusive else value <= low):
            raise Defer
        if high is not None and (value > high if v.max_inclusive else value >= high):
            raise Defer
    return check


def _length(v):
    def check(value):
        size = len(value)
        if v.equal is not None and size != v.equal:
            raise Defer
        if (v.min is not None and size < v.min) or (v.max is not None and size > v.max):
            raise Defer
    return check


def _guarded_validator(validator):
    def check(value):
        try:
            result = validator(value)
        except ValidationError:
            raise Defer from None
        if result is False:
            raise Defer
    return check

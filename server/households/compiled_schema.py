"""A fast path for loading records: a marshmallow schema compiled into plain Python source.

marshmallow costs ~400 µs per household record here, most of an import's time budget. `compile_schema`
walks the schema's declared fields once and writes one function per (nested) schema that accepts only
the plain, unambiguous cases (a str for a String, an int for a strict Integer, "YYYY-MM-DD" for a Date,
...) and produces exactly what `schema.load` would. Anything else raises `Defer`, and the caller loads
that record with the real schema, which decides and words the errors. So the schema stays the one
definition of the record; a field type or hook the compiler does not know fails at import time, not
silently. The checks are written inline (no call per field), which makes a record ~3x cheaper than
closures; `load.source` shows the generated code.
"""
import math
import re
from datetime import date

from marshmallow import RAISE, ValidationError, fields, validate
from marshmallow.utils import missing

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_SIMPLE = {fields.String: "str", fields.Boolean: "bool"}


class Defer(Exception):
    """The fast path cannot decide this value; load the record with marshmallow."""


def compile_schema(schema):
    """Return `load(dict) -> dict` equivalent to `schema.load` on what it accepts; raises Defer."""
    compiler = _Compiler()
    name = compiler.schema(schema)
    source = "\n\n".join(compiler.functions)
    exec(compile(source, f"<fastload {type(schema).__name__}>", "exec"), compiler.namespace)  # noqa: S102
    load = compiler.namespace[name]
    load.source = source
    return load


class _Compiler:
    """Writes the source of the load functions; constants they use go into `namespace`."""

    def __init__(self):
        self.functions = []
        self.namespace = {"Defer": Defer, "missing": missing, "_date": _date, "_float": _float,
                          "_guard": _guard}

    def constant(self, value, hint):
        name = f"_{hint}{len(self.namespace)}"
        self.namespace[name] = value
        return name

    def schema(self, schema):
        """Write the function for one schema; return its name."""
        if schema.unknown != RAISE or schema.many:
            raise TypeError("compile_schema supports single schemas that refuse unknown fields")
        name = self.constant(None, f"load_{type(schema).__name__}_")
        known = self.constant(frozenset(schema.load_fields), "known")
        body = [f"if type(data) is not dict or not {known}.issuperset(data):", "    raise Defer",
                "out = {}"]
        for field_name, field in schema.load_fields.items():
            body += self.field(field_name, field)
        body += [f"{self.constant(hook, 'hook')}(out)" for hook in _hooks(schema)]
        body.append("return out")
        self.functions.append(f"def {name}(data):\n" + "\n".join("    " + line for line in body))
        return name

    def field(self, name, field):
        if field.data_key not in (None, name) or field.pre_load or field.post_load:
            raise TypeError(f"compile_schema: field {name!r} uses an unsupported option")
        key = repr(name)
        lines = [f"v = data.get({key}, missing)", "if v is missing:"]
        if field.required:
            lines.append("    raise Defer")
        elif field.load_default is missing:
            lines.append("    pass")
        else:
            default = self.constant(field.load_default, "default")
            call = "()" if callable(field.load_default) else ""
            lines.append(f"    out[{key}] = {default}{call}")
        lines += ["else:", *_indent(self.value(field)), f"    out[{key}] = v"]
        return lines

    def value(self, field):
        """Lines that check `v` and replace it with the loaded value."""
        lines = self.base(field) + [line for v in field.validators for line in self.check(v)]
        if not field.allow_none:
            return lines  # every base check refuses None already
        return ["if v is not None:", *_indent(lines)]

    def base(self, field):
        kind = type(field)
        if kind is fields.Nested:
            if field.many or field.only or field.exclude or field.unknown:
                raise TypeError("compile_schema supports plain Nested fields only")
            return [f"v = {self.schema(field.schema)}(v)"]
        if kind is fields.List:
            item = self.item(field.inner)
            return ["if type(v) is not list:", "    raise Defer", f"v = [{item}(x) for x in v]"]
        if kind is fields.Integer and field.strict:
            return ["if type(v) is not int:", "    raise Defer"]
        if kind is fields.Float and not field.allow_nan:
            return ["v = _float(v)"]
        if kind is fields.Date and field.format in (None, "iso"):
            return ["v = _date(v)"]
        if kind not in _SIMPLE:
            raise TypeError(f"compile_schema does not support {kind.__name__}")
        return [f"if type(v) is not {_SIMPLE[kind]}:", "    raise Defer"]

    def item(self, field):
        """The name of a function that loads one item of a List."""
        if type(field) is fields.Nested and not field.allow_none and not field.validators:
            return self.schema(field.schema)
        name = self.constant(None, "item")
        body = self.value(field) + ["return v"]
        self.functions.append(f"def {name}(v):\n" + "\n".join("    " + line for line in body))
        return name

    def check(self, validator):
        kind = type(validator)
        if kind is validate.OneOf:
            choices = self.constant(frozenset(validator.choices), "choices")
            return [f"if v not in {choices}:", "    raise Defer"]
        if kind is validate.Range:
            return _range(validator)
        if kind is validate.Length:
            return _length(validator)
        return [f"_guard({self.constant(validator, 'validator')}, v)"]


def _indent(lines):
    return ["    " + line for line in lines]


def _range(v):
    tests = []
    if v.min is not None:
        tests.append(f"v {'<' if v.min_inclusive else '<='} {v.min!r}")
    if v.max is not None:
        tests.append(f"v {'>' if v.max_inclusive else '>='} {v.max!r}")
    return [f"if {' or '.join(tests)}:", "    raise Defer"] if tests else []


def _length(v):
    if v.equal is not None:
        return [f"if len(v) != {v.equal!r}:", "    raise Defer"]
    tests = ([f"len(v) < {v.min!r}"] if v.min is not None else []) + (
        [f"len(v) > {v.max!r}"] if v.max is not None else [])
    return [f"if {' or '.join(tests)}:", "    raise Defer"] if tests else []


def _hooks(schema):
    for tag, entries in schema._hooks.items():
        if tag != "validates_schema":
            raise TypeError(f"compile_schema does not support {tag} hooks")
        for attr_name, many, options in entries:
            if many or options.get("pass_original"):
                raise TypeError("compile_schema supports plain validates_schema hooks only")
            yield _schema_hook(getattr(schema, attr_name))


def _schema_hook(hook):
    def run(data):
        try:
            hook(data, partial=None, many=False, unknown=RAISE)
        except ValidationError:
            raise Defer from None
    return run


def _guard(validator, value):
    try:
        result = validator(value)
    except ValidationError:
        raise Defer from None
    if result is False:
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

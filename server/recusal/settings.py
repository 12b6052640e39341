"""Per-evaluation rule settings: which rules run, with what severity and parameters.

Stored as overrides in `Evaluation.settings["rules"]` ({"rules": {code: {enabled, severity, params}},
"could_not_run": "review"|"ignore"}); `effective` merges them over each rule's defaults. The
recusal level of REC-02 defaults to the evaluation's `recusal_level` (the one assignments use).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import cached_property
from datetime import time

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from server.recusal.registry import BY_CODE, RULES
from server.recusal.types import SEVERITIES

UNCHECKED = ("review", "ignore")
_KINDS = {"int": lambda v: fields.Integer(strict=True, validate=v),
          "float": lambda v: fields.Float(allow_nan=False, validate=v),
          "bool": lambda v: fields.Boolean(validate=v), "str": lambda v: fields.String(validate=v),
          "list": lambda v: fields.List(fields.String(), validate=v)}


@dataclass(frozen=True)
class RuleSetting:
    code: str
    enabled: bool
    severity: str
    params: dict


@dataclass(frozen=True)
class RuleSettings:
    """The effective settings of one evaluation, for every registered rule."""

    rules: tuple[RuleSetting, ...]
    could_not_run: str = "review"

    @cached_property
    def _by_code(self):
        return {r.code: r for r in self.rules}

    def of(self, code):
        return self._by_code.get(code)

    def to_dict(self):
        return {"could_not_run": self.could_not_run,
                "rules": {r.code: {"enabled": r.enabled, "severity": r.severity, "params": r.params}
                          for r in self.rules}}

    def sha256(self):
        return self._sha256

    @cached_property
    def _sha256(self):  # every check of a batch asks
        body = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(body.encode()).hexdigest()


def _param_field(param):
    checks = []
    if param.minimum is not None or param.maximum is not None:
        checks.append(validate.Range(param.minimum, param.maximum))
    if param.choices and param.kind == "str":
        checks.append(validate.OneOf(param.choices))
    if param.choices and param.kind == "list":
        checks.append(validate.ContainsOnly(param.choices))
    if param.name in ("earliest", "latest"):
        checks.append(_clock)
    return _KINDS[param.kind](checks)


def _clock(value):
    try:
        time.fromisoformat(value)
    except ValueError:
        raise ValidationError("not a time of day (HH:MM or HH:MM:SS)") from None


def _params_schema(rule):
    attrs = {p.name: _param_field(p) for p in rule.info.params}
    attrs["Meta"] = type("Meta", (), {"unknown": RAISE})
    return Schema.from_dict(attrs, name=f"Params{rule.code.replace('-', '')}")


_PARAMS = {r.code: _params_schema(r)() for r in RULES}


class RuleOverrideSchema(Schema):
    class Meta:
        unknown = RAISE

    enabled = fields.Boolean()
    severity = fields.String(validate=validate.OneOf(SEVERITIES))
    params = fields.Dict(keys=fields.String(), values=fields.Raw())


class SettingsSchema(Schema):
    """The body of PUT /evaluations/<code>/rules (every part optional; unknown rules refused)."""

    class Meta:
        unknown = RAISE

    rules = fields.Dict(keys=fields.String(validate=validate.OneOf(tuple(BY_CODE))),
                        values=fields.Nested(RuleOverrideSchema), load_default=dict)
    could_not_run = fields.String(validate=validate.OneOf(UNCHECKED), load_default="review")

    @validates_schema(skip_on_field_errors=False)
    def _params_valid(self, data, **kwargs):
        errors = {}
        for code, override in data.get("rules", {}).items():
            try:
                _PARAMS[code].load(override.get("params") or {})
            except ValidationError as error:
                errors[code] = {"params": error.messages}
        if errors:
            raise ValidationError({"rules": errors})


SETTINGS = SettingsSchema()


def load(body):
    """Validate a settings body; returns the normalised overrides. Raises marshmallow ValidationError."""
    data = SETTINGS.load(body)
    rules = {}
    for code, override in data["rules"].items():
        normal = dict(override)
        if "params" in normal:
            normal["params"] = _PARAMS[code].load(normal["params"])
        rules[code] = normal
    return {"rules": rules, "could_not_run": data["could_not_run"]}


def effective(evaluation_settings):
    """RuleSettings from an evaluation's settings dict (defaults for whatever it does not set)."""
    stored = (evaluation_settings or {}).get("rules") or {}
    overrides = stored.get("rules") or {}
    level = (evaluation_settings or {}).get("recusal_level")
    rules = []
    for rule in RULES:
        info, override = rule.info, overrides.get(rule.code, {})
        params = info.defaults()
        if rule.code == "REC-02" and level:
            params["level"] = level
        params.update(override.get("params") or {})
        rules.append(RuleSetting(rule.code, override.get("enabled", True),
                                 override.get("severity", info.severity), params))
    return RuleSettings(tuple(rules), stored.get("could_not_run", "review"))


DEFAULTS = effective({})

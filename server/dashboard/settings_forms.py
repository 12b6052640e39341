"""The settings page's forms as the bodies the API takes (PUT .../rules, .../reconciliation/settings).

A form field is named by where its value goes ("rules.TIM-01.min_minutes", "tolerances.income_ratio"), so
the domain's validation errors, keyed the same way, land next to their field. Numbers typed into a field
are passed as numbers when they read as one and as typed otherwise, for the domain to refuse with its
reason. Only what differs from the defaults is stored: an evaluation's settings say what it changed.
"""
import copy
import json

from server.evaluation_settings.reconciliation_defaults import DEFAULTS as RECONCILIATION_DEFAULTS
from server.recusal.registry import RULES

# Leaves of the reconciliation settings that the page's own fields set; the rest is edited as JSON.
RECONCILIATION_LEAVES = [("tolerances", k) for k in RECONCILIATION_DEFAULTS["tolerances"]] + [
    ("poverty_lines", "national"), ("income", "income_year"), ("income", "divisor"), ("backcheck", "share"),
    ("endorsement", "answers")]
FIGURES_LEAVES = [("count_statuses",), ("identification", "formula"),
                  ("identification", "wrongly_registered_unit")] + [
    ("thresholds", name) for name in RECONCILIATION_DEFAULTS["thresholds"]]
NEW_LINES = 2  # empty poverty-line rows offered for new years
_MISSING = object()


def typed(text, kind):
    """A form value as the kind a rule parameter has; text that does not read as one stays text."""
    text = (text or "").strip()
    converters = {"int": int, "float": float}
    if kind in converters:
        try:
            return converters[kind](text)
        except ValueError:
            return text
    return text


def rules_body(form, effective_defaults):
    """The PUT .../rules body from the rules form: per rule, what differs from its defaults
    (`effective_defaults` is the settings with no overrides, with the evaluation's recusal level)."""
    rules = {}
    for rule in RULES:
        info, default = rule.info, effective_defaults.of(rule.code)
        override = {}
        if form.get(f"rules.{rule.code}.enabled") != "on":
            override["enabled"] = False
        severity = form.get(f"rules.{rule.code}.severity", info.severity)
        if severity != info.severity:
            override["severity"] = severity
        params = {}
        for param in info.params:
            name = f"rules.{rule.code}.{param.name}"
            value = form.getlist(name) if param.kind == "list" else (
                form.get(name) == "on" if param.kind == "bool" else typed(form.get(name), param.kind))
            if value != default.params[param.name]:
                params[param.name] = value
        if params:
            override["params"] = params
        if override:
            rules[rule.code] = override
    return {"rules": rules, "could_not_run": form.get("could_not_run", "review")}


def reconciliation_shown(stored):
    """The JSON the advanced field shows: the stored overrides less what the page's own fields set."""
    return json.dumps(_without(stored, RECONCILIATION_LEAVES + FIGURES_LEAVES), ensure_ascii=False, indent=2,
                      sort_keys=True)


def reconciliation_body(form, stored):
    """(body, error on the advanced field or None) from the reconciliation form; the figures' leaves keep
    their stored values."""
    try:
        advanced = json.loads(form.get("advanced") or "{}")
    except ValueError as exc:
        return None, ("advanced", str(exc))
    if not isinstance(advanced, dict):
        return None, ("advanced", "not an object")
    body = _without(advanced, RECONCILIATION_LEAVES + FIGURES_LEAVES)
    _copy_leaves(stored, body, FIGURES_LEAVES)
    for section, key in RECONCILIATION_LEAVES[:4]:
        _set(body, (section, key), typed(form.get(f"{section}.{key}"), "float"))
    _set(body, ("poverty_lines", "national"), _lines(form))
    year = (form.get("income.income_year") or "").strip()
    _set(body, ("income", "income_year"), typed(year, "int") if year else None)
    _set(body, ("income", "divisor"), (form.get("income.divisor") or "").strip())
    _set(body, ("backcheck", "share"), typed(form.get("backcheck.share"), "float"))
    answers = [a.strip() for a in (form.get("endorsement.answers") or "").split(",") if a.strip()]
    _set(body, ("endorsement", "answers"), answers)
    return _prune(body), None


def figures_body(form, stored):
    """The body from the figures form: the stored overrides with the figures' leaves from the form."""
    body = _without(stored, FIGURES_LEAVES)
    _set(body, ("count_statuses",), form.getlist("count_statuses"))
    _set(body, ("identification", "formula"), form.get("identification.formula", "both"))
    _set(body, ("identification", "wrongly_registered_unit"),
         form.get("identification.wrongly_registered_unit", "persons"))
    for section, name in FIGURES_LEAVES[3:]:
        _set(body, (section, name), [form.get(f"thresholds.{name}.op", ""),
                                     typed(form.get(f"thresholds.{name}.value"), "float")])
    return _prune(body)


def _lines(form):
    """{year: yuan} from the poverty-line rows (a row with an empty year is no row)."""
    lines = {}
    for i in range(len(form.getlist("line.year"))):
        year, amount = form.getlist("line.year")[i].strip(), form.getlist("line.amount")[i].strip()
        if year:
            lines[year] = typed(amount, "float")
    return lines


def line_rows(effective):
    """The rows the poverty-line table shows: the effective national lines, then empty rows."""
    return sorted(effective["poverty_lines"]["national"].items()) + [("", "")] * NEW_LINES


def _set(body, path, value):
    """Put `value` at `path` unless it is the default there (then nothing is stored)."""
    if _get(RECONCILIATION_DEFAULTS, path) == value:
        return
    node = body
    for step in path[:-1]:
        node = node.setdefault(step, {})
    node[path[-1]] = value


def _copy_leaves(source, target, leaves):
    for path in leaves:
        value = _get(source, path, _MISSING)
        if value is not _MISSING:
            node = target
            for step in path[:-1]:
                node = node.setdefault(step, {})
            node[path[-1]] = copy.deepcopy(value)


def _get(tree, path, default=None):
    for step in path:
        if not isinstance(tree, dict) or step not in tree:
            return default
        tree = tree[step]
    return tree


def _without(tree, leaves):
    out = copy.deepcopy(tree or {})
    for path in leaves:
        node = out
        for step in path[:-1]:
            node = node.get(step) if isinstance(node, dict) else None
        if isinstance(node, dict):
            node.pop(path[-1], None)
    return _prune(out)


def _prune(tree):
    """Sections left empty are no override."""
    return {k: v for k, v in tree.items() if not (isinstance(v, dict) and not v)}

"""An evaluation's reconciliation settings: the defaults with its overrides merged on top, validated.

Stored in `Evaluation.settings["reconciliation"]`. Sections listed in MERGED are merged key by key at
every depth (an override of the 2019 poverty line keeps 2013 and 2020; lists are replaced); every other
section is replaced whole. The schema an override is validated with is in reconciliation_schema.py
(marshmallow is not imported to read the settings).
"""
import copy
import hashlib
import json

from server.evaluation_settings.reconciliation_defaults import DEFAULTS

MERGED = ("poverty_lines", "tolerances", "thresholds", "identification", "satisfaction", "income",
          "backcheck", "endorsement", "cause_map", "assistance_map", "assurances", "assurance_keys",
          "rules")
# A classification's verdict on each flag.
SUSPECTED, CLEAR, UNDETERMINED, NOT_APPLICABLE = "suspected", "clear", "undetermined", "not_applicable"
INTERVIEWED, REFUSED = "interviewed", "refused"  # did the visit give an interview (classification outcome)
FLAGS = ("wrongly_registered", "missed", "wrongly_exited")
HOUSEHOLD_TYPES = ("exited", "poor", "non_registered")
THRESHOLD_OPS = ("<", "<=", ">=")  # how server/figures/rates.py compares a figure with its threshold


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

"""What an enumerator's record may hold, checked field by field, so a page can say what is wrong next to
the field: the username (it is in the Collect URL and the Digest HA1), name, phone, team and home place
(names and GB/T 2260 / NBS area codes; the own-locality rule compares them with the households').
"""
import re

from server.infra.errors import Problem
from server.infra.i18n import msg

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")
PHONE = re.compile(r"^[0-9+() -]{5,32}$")
CODE_LENGTHS = {"county_code": 6, "township_code": 9, "village_code": 12}
LENGTHS = {"display_name": 200, "team": 80, "province": 100, "county": 100, "township": 100, "village": 100}
FIELDS = ("username", "display_name", "phone", "team", "province", "county", "township", "village",
          "county_code", "township_code", "village_code")
NULLABLE = ("phone", "team", "county_code", "township_code", "village_code")
PLACE = ("province", "county", "township", "village", "county_code", "township_code", "village_code")


def clean(values, creating):
    """The checked values ({field: value}; blank optional ones become None, or "" for names) of the FIELDS
    present in `values` (all of them when `creating`). Raises Problem enumerator.invalid (422) whose
    details are [{field, code, message}], code one of required, format, too_long, code_mismatch."""
    names = FIELDS if creating else [f for f in FIELDS if f in values and f != "username"]
    out = {f: str(values.get(f) or "").strip() for f in names}
    errors = [e for f in names for e in _field_errors(f, out[f])]
    errors += _place_errors(out, creating)
    if errors:
        shown = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        raise Problem("enumerator.invalid", msg("The enumerator's details are not valid: %(errors)s",
                                                errors=shown), 422, errors)
    return {f: (v or None) if f in NULLABLE else v for f, v in out.items()}


def _field_errors(field, value):
    if field == "username":
        if not value:
            return [_error(field, "required", "a username is needed")]
        if not USERNAME.match(value):
            return [_error(field, "format", "letters, digits, '_', '.' and '-' only, at most 80")]
    elif field == "phone" and value and not PHONE.match(value):
        return [_error(field, "format", "digits, spaces, '+', '-' and brackets, 5 to 32")]
    elif field in CODE_LENGTHS and value and not re.fullmatch(rf"\d{{{CODE_LENGTHS[field]}}}", value):
        return [_error(field, "format", f"{CODE_LENGTHS[field]} digits")]
    elif field in LENGTHS and len(value) > LENGTHS[field]:
        return [_error(field, "too_long", f"at most {LENGTHS[field]} characters")]
    return []


def _place_errors(out, creating):
    """The home county is needed (by name or code) for the own-locality rule; finer codes must lie in the
    coarser ones (a village code starts with its township's code, which starts with its county's)."""
    errors = []
    touched = creating or "county" in out or "county_code" in out
    if touched and not (out.get("county") or out.get("county_code")):
        errors.append(_error("county", "required", "the home county (a name or county_code) is needed"))
    for finer, coarser in (("township_code", "county_code"), ("village_code", "township_code"),
                           ("village_code", "county_code")):
        a, b = out.get(finer), out.get(coarser)
        if a and b and a.isdigit() and b.isdigit() and not a.startswith(b):
            errors.append(_error(finer, "code_mismatch", f"does not lie in {coarser} {b}"))
            break
    return errors


def _error(field, code, message):
    return {"field": field, "code": code, "message": message}

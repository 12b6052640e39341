"""Back-check comparison and error rates, as bcstats does. Pure.

Each compared field has a type (1: should never change, flags the enumerator; 2: hard to ask, judges the
enumerator; 3: stability of the question) and optionally `okrange` (numeric tolerance). The mapping from
contract keys to types is data (settings["backcheck"]["fields"]). Strings are compared trimmed and
case-folded; a side that is missing is not compared.
"""
SAME, DIFFERS, MISSING = "same", "differs", "missing"


def _number(value):
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _norm(value):
    if isinstance(value, list):
        return sorted(str(v).strip().casefold() for v in value)
    return str(value).strip().casefold()


def compare_one(key, spec, original, backcheck):
    """{key, type, original, backcheck, verdict} for one field."""
    row = {"key": key, "type": int(spec.get("type", 1)), "original": original, "backcheck": backcheck}
    if original in (None, "") or backcheck in (None, ""):
        return {**row, "verdict": MISSING}
    okrange = spec.get("okrange")
    a, b = _number(original), _number(backcheck)
    if okrange is not None and a is not None and b is not None:
        return {**row, "verdict": SAME if abs(a - b) <= float(okrange) else DIFFERS}
    return {**row, "verdict": SAME if _norm(original) == _norm(backcheck) else DIFFERS}


def compare(original, backcheck, fields):
    """Compare two answer dicts {key: value} over `fields` {key: {type, okrange?}}, in key order."""
    return [compare_one(key, spec, original.get(key), backcheck.get(key))
            for key, spec in sorted(fields.items())]


def _rate(bucket):
    compared = bucket["compared"]
    return {**bucket, "error_rate": bucket["differences"] / compared if compared else None}


def error_rates(results, by):
    """[{by, compared, differences, error_rate}] grouping comparison rows.

    `results` is [(labels dict, comparison rows)]; `by` names a label ("enumerator", "backchecker") or
    "key" / "type" of the rows themselves.
    """
    buckets = {}
    for labels, rows in results:
        for row in rows:
            if row["verdict"] == MISSING:
                continue
            name = row[by] if by in ("key", "type") else labels.get(by)
            bucket = buckets.setdefault(name, {by: name, "compared": 0, "differences": 0})
            bucket["compared"] += 1
            bucket["differences"] += row["verdict"] == DIFFERS
    return [_rate(buckets[name]) for name in sorted(buckets, key=str)]


def report(results):
    """Error rates per enumerator, per back-checker, per field and per type (bcstats' tables)."""
    per_type = {}
    for labels, rows in results:
        for t in {r["type"] for r in rows}:
            per_type.setdefault(t, []).append((labels, [r for r in rows if r["type"] == t]))
    return {"by_enumerator": error_rates(results, "enumerator"),
            "by_backchecker": error_rates(results, "backchecker"),
            "by_field": error_rates(results, "key"), "by_type": error_rates(results, "type"),
            "by_enumerator_and_type": {str(t): error_rates(r, "enumerator")
                                       for t, r in sorted(per_type.items())}}

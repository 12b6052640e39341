"""What the answers say, read through the settings: per-capita income, the poverty line it is judged
against, the 两不愁三保障 items, and whether a rule condition holds. Pure: plain dicts in, plain values out.

`answers` is {contract key: value} (as `recusal.snapshot.answers_by_key` builds it), plus the
extra keys reconciliation reads by field name (`a6`, `exit_year`, `village_code`).
"""
from datetime import datetime

INCOME_ITEMS = ("b1", "b2", "b3", "b4", "b6", "b7")
COST_ITEM = "b5"
# Band bounds (yuan) of the B8 estimate: a band decides "below the line" only if it lies wholly on one side.
BANDS = {"lt3000": (0, 3000), "3000_4000": (3000, 4000), "4000_6000": (4000, 6000),
         "6000_10000": (6000, 10000), "gt10000": (10000, None)}


def number(value):
    """A finite number from an answer, or None (missing, text, or a bool)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    try:
        return float(str(value).strip())
    except ValueError:
        return None


def per_capita_income(answers, settings):
    """(yuan per person, how it was obtained) or (None, reason). Items B1-B7 first, then pc_income."""
    divisor = number(answers.get((settings.get("income") or {}).get("divisor") or "hh_size"))
    items = [number(answers.get(k)) for k in INCOME_ITEMS]
    cost = number(answers.get(COST_ITEM))
    if divisor and divisor > 0 and all(v is not None for v in items) and cost is not None:
        return round((sum(items) - cost) / divisor, 2), "items"
    computed = number(answers.get("pc_income"))
    if computed is not None:
        return computed, "pc_income"
    return None, "income items missing"


def interview_year(answers):
    """The calendar year of the interview start, or None."""
    start = answers.get("start")
    if not start:
        return None
    try:
        return datetime.fromisoformat(str(start).replace("Z", "+00:00")).year
    except ValueError:
        return None


def income_year(answers, settings):
    """The year the income answers refer to: the setting, else the year before the interview."""
    fixed = (settings.get("income") or {}).get("income_year")
    if fixed:
        return int(fixed)
    year = interview_year(answers)
    return year - 1 if year else None


def poverty_line(settings, year, province_code=None, province=None):
    """(line, table name) for `year`, from the province's table if it has that year, else national.

    Returns (None, None) when no table has the year: never interpolated or guessed.
    """
    if year is None:
        return None, None
    lines = settings.get("poverty_lines") or {}
    for name in (province_code, province, "national"):
        table = lines.get(name) if name else None
        if table and str(year) in table:
            return float(table[str(year)]), name
    return None, None


def judged_line(kind, answers, record, settings):
    """{line, line_table, line_year, line_basis}: the line a household's income is judged against.

    An exited household is judged against the line of its exit year (the register's, else as answered):
    it exited when its income passed that year's line, so 错退 asks whether it still does (issue 16). Any
    other household (漏评, a poor one) against the line of the income year. No line for that year: None.
    """
    if kind == "exited":
        year = _year((record or {}).get("exit_year")) or _year(answers.get("exit_year"))
        basis = "exit_year"
    else:
        year, basis = income_year(answers, settings), "income_year"
    record = record or {}
    line, table = poverty_line(settings, year, record.get("province_code"), record.get("province"))
    return {"line": line, "line_table": table, "line_year": year, "line_basis": basis}


def _year(value):
    year = number(value)
    return int(year) if year is not None and year > 0 else None


def holds(condition, answers, derived=None):
    """True / False whether a condition holds; None if the answer it reads is missing."""
    if "test" in condition:
        return (derived or {}).get(condition["test"])
    value = answers.get(condition["key"])
    if value is None or value == "":
        return None
    accepted = condition.get("in") or ()
    if isinstance(value, list):
        return any(v in accepted for v in value)
    return value in accepted or str(value) in [str(a) for a in accepted]


def assurances(answers, settings):
    """{item: True (assured) | False (fails) | None (cannot tell)} for each 两不愁三保障 item."""
    keys = settings.get("assurance_keys") or {}
    result = {}
    for item, conditions in (settings.get("assurances") or {}).items():
        outcomes = [holds(c, answers) for c in conditions]
        if any(o is True for o in outcomes):
            result[item] = False
        elif all(answers.get(k) is None for k in keys.get(item, [c.get("key") for c in conditions])):
            result[item] = None
        else:
            result[item] = True
    return result


def below_line(income, line, band=None):
    """True / False / None: income below the line; a B8 band decides only when wholly on one side."""
    if line is None:
        return None
    if income is not None:
        return income < line
    low, high = BANDS.get(band, (None, None))
    if high is not None and high <= line:
        return True
    if low is not None and low >= line:
        return False
    return None

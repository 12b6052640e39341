"""Classification of one interview, with the reasons: suspected 错评 / 漏评 / 错退, and 认可 and satisfaction.
Pure. The rules are data (settings["rules"], see defaults.py); this module only evaluates them.

Each flag is `suspected` (a condition held), `clear` (every condition was evaluated and none held) or
`undetermined` (none held, but some could not be evaluated: an answer or the year's poverty line missing).
A flag whose rule does not apply to the household type is `not_applicable`.
"""
from server.reconciliation import facts
from server.reconciliation.match import STATUS_TYPE, answered_type
from server.reconciliation.settings import FLAGS

SUSPECTED, CLEAR, UNDETERMINED, NOT_APPLICABLE = "suspected", "clear", "undetermined", "not_applicable"


def household_type(answers, record):
    """The household's type: the record's status when it is in the register, else as answered."""
    if record is not None:
        return STATUS_TYPE.get(record.get("status"), "poor")
    kind = answered_type(answers)
    return kind if kind in ("exited", "poor", "non_registered") else None


def persons(answers, record):
    """How many persons the household counts for: the register's members, else the answered size."""
    if record is not None and record.get("members"):
        return len(record["members"])
    size = facts.number(answers.get("hh_size"))
    return int(size) if size and size > 0 else 0


def derived_tests(answers, record, settings):
    """The named tests rules may use: below_line and assurance_failed (True / False / None), with evidence."""
    income, source = facts.per_capita_income(answers, settings)
    year = facts.income_year(answers, settings)
    province_code = (record or {}).get("province_code")
    line, table = facts.poverty_line(settings, year, province_code, (record or {}).get("province"))
    below = facts.below_line(income, line, answers.get("b8"))
    items = facts.assurances(answers, settings)
    failed = sorted(k for k, v in items.items() if v is False)
    assurance_failed = True if failed else (None if any(v is None for v in items.values()) else False)
    evidence = {"income": income, "income_source": source, "income_year": year, "line": line,
                "line_table": table, "failed_assurances": failed,
                "unknown_assurances": sorted(k for k, v in items.items() if v is None)}
    return {"below_line": below, "assurance_failed": assurance_failed}, evidence


def evaluate_rule(rule, kind, answers, tests):
    """(verdict, reasons) of one rule for a household of type `kind`."""
    if kind is None or kind not in rule.get("applies_to", ()):
        return NOT_APPLICABLE, []
    reasons, unknown = [], []
    for condition in rule.get("any", ()):
        outcome = facts.holds(condition, answers, tests)
        name = condition.get("reason") or condition.get("test") or condition.get("key")
        if outcome is True:
            reasons.append(name)
        elif outcome is None:
            unknown.append(name)
    if reasons:
        return SUSPECTED, reasons
    return (UNDETERMINED, unknown) if unknown else (CLEAR, [])


def endorsement(answers, settings):
    """True / False whether the household endorses (认可), None if it answered none of the items."""
    spec = settings.get("endorsement") or {}
    accepted = {str(a) for a in spec.get("answers", ())}
    answered = [str(answers[k]) for k in spec.get("items", ()) if answers.get(k) not in (None, "")]
    if not answered:
        return None
    return all(a in accepted for a in answered)


def satisfied(answers, settings, which):
    """True / False for satisfaction with the work team or helper; None if not asked or 不了解."""
    spec = settings.get("satisfaction") or {}
    value = answers.get(spec.get(which))
    if value in (None, "") or str(value) in {str(s) for s in spec.get("skip", ())}:
        return None
    return str(value) in {str(s) for s in spec.get("satisfied", ())}


def classify(answers, record, settings):
    """The classification dict of one interview: type, persons, each flag with its verdict and reasons,
    the evidence the tests used, endorsement and satisfaction."""
    kind = household_type(answers, record)
    tests, evidence = derived_tests(answers, record, settings)
    flags = {}
    for flag in FLAGS:
        verdict, reasons = evaluate_rule((settings.get("rules") or {}).get(flag) or {}, kind, answers, tests)
        flags[flag] = {"verdict": verdict, "reasons": reasons}
    return {"household_type": kind, "persons": persons(answers, record), "flags": flags,
            "tests": tests, "evidence": evidence, "endorsed": endorsement(answers, settings),
            "satisfied_work_team": satisfied(answers, settings, "work_team"),
            "satisfied_helper": satisfied(answers, settings, "helper")}

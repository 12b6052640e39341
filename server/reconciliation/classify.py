"""Classification of one interview, with the reasons: suspected 错评 / 漏评 / 错退, and 认可 and satisfaction.
Pure. The rules are data (settings["rules"], see defaults.py); this module only evaluates them.

Each flag is `suspected` (a condition held), `clear` (every condition was evaluated and none held) or
`undetermined` (none held, but some could not be evaluated: an answer or the year's poverty line missing).
错退 reads the poverty line of the household's exit year, 漏评 that of the income year (facts.judged_line).
A flag whose rule does not apply to the household type is `not_applicable`.

A refusal (consent = no: declined, nobody at home, could not be reached) is kept with its reason and its
household type, and nothing else: no persons, no flag, no endorsement (outcome `refused`).
"""
from server.reconciliation import facts
from server.reconciliation.match import STATUS_TYPE, answered_type
from server.evaluation_settings.reconciliation import (CLEAR, FLAGS, INTERVIEWED, NOT_APPLICABLE, REFUSED,
                                                       SUSPECTED, UNDETERMINED)


def refusal(answers):
    """The refusal reason when the household did not give the interview (consent = no), else None."""
    if str(answers.get("consent") or "") != "no":
        return None
    return str(answers.get("refuse_reason") or "") or "unspecified"


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


def derived_tests(answers, record, settings, kind=None):
    """The named tests rules may use: below_line and assurance_failed (True / False / None), with evidence.
    below_line reads the line `facts.judged_line` gives the household type `kind`: an exited household's
    exit year, else the income year."""
    income, source = facts.per_capita_income(answers, settings)
    line = facts.judged_line(kind, answers, record, settings)
    below = facts.below_line(income, line["line"], answers.get("b8"))
    items = facts.assurances(answers, settings)
    failed = sorted(k for k, v in items.items() if v is False)
    assurance_failed = True if failed else (None if any(v is None for v in items.values()) else False)
    evidence = {"income": income, "income_source": source,
                "income_year": facts.income_year(answers, settings), **line, "failed_assurances": failed,
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
    reason = refusal(answers)
    if reason is not None:
        return {"household_type": kind, "outcome": REFUSED, "refusal_reason": reason, "persons": 0,
                "flags": {flag: {"verdict": NOT_APPLICABLE, "reasons": [REFUSED]} for flag in FLAGS},
                "tests": {}, "evidence": {}, "endorsed": None, "satisfied_work_team": None,
                "satisfied_helper": None}
    tests, evidence = derived_tests(answers, record, settings, kind)
    flags = {}
    for flag in FLAGS:
        verdict, reasons = evaluate_rule((settings.get("rules") or {}).get(flag) or {}, kind, answers, tests)
        flags[flag] = {"verdict": verdict, "reasons": reasons}
    return {"household_type": kind, "outcome": INTERVIEWED, "persons": persons(answers, record),
            "flags": flags,
            "tests": tests, "evidence": evidence, "endorsed": endorsement(answers, settings),
            "satisfied_work_team": satisfied(answers, settings, "work_team"),
            "satisfied_helper": satisfied(answers, settings, "helper")}

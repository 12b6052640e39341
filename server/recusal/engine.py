"""The engine: run the enabled rules over one Case and return their findings. Pure.

A rule whose contract keys the form does not carry, or that raises on odd data, yields a
`could_not_run` finding: an interview is never reported clean because a check was skipped. A rule that does
not apply (it reads answers and the household refused; it compares with the register and the household is
not on it) yields `not_applicable`, which never sends the interview to review.
"""
from __future__ import annotations

import logging

from server.recusal.rulebase import Hit, NotApplicable, Skip
from server.recusal.types import COULD_NOT_RUN, FOUND, NOT_APPLICABLE, Finding

REFUSED = NotApplicable("the household did not give the interview (refused)")
NOT_REGISTERED = NotApplicable("the household is not on the register (nothing registered to compare)")

log = logging.getLogger(__name__)


def evaluate(case, rules, settings):
    """Findings of `rules` (the registry or a subset) on `case` under `settings` (RuleSettings).

    Findings come sorted by rule code, whatever the order of `rules`; disabled rules are skipped.
    """
    findings = []
    for rule in rules:
        setting = settings.of(rule.code)
        if setting is None or not setting.enabled:
            continue
        finding = _run(rule, case, setting)
        if finding is not None:
            findings.append(finding)
    return sorted(findings, key=lambda f: f.code)


def _run(rule, case, setting):
    if rule.info.answers and case.refused:
        return _finding(rule, setting, REFUSED)
    if rule.info.registered and case.not_registered:
        return _finding(rule, setting, NOT_REGISTERED)
    missing = [key for key in rule.info.needs if not case.has(key)]
    if missing:
        return _finding(rule, setting, Skip("the form has no field for " + ", ".join(missing)))
    try:
        result = rule(case, setting.params)
    except (TypeError, ValueError, KeyError, ArithmeticError) as exc:
        # Odd data from a phone must not stop the other rules; the finding says what happened.
        log.warning("rule %s failed on submission %s: %s", rule.code, case.submission_id, exc)
        result = Skip(f"the rule failed on this data: {exc.__class__.__name__}: {exc}")
    return None if result is None else _finding(rule, setting, result)


def _finding(rule, setting, result):
    info = rule.info
    common = dict(code=info.code, version=info.version, severity=setting.severity, title_zh=info.title_zh,
                  title_en=info.title_en, parameters=dict(setting.params))
    if isinstance(result, Hit):
        return Finding(outcome=FOUND, evidence=dict(result.evidence), message_zh=result.zh,
                       message_en=result.en, **common)
    if isinstance(result, Skip):
        return Finding(outcome=COULD_NOT_RUN, reason=result.reason, message_zh="无法检查：" + result.reason,
                       message_en="Could not check: " + result.reason, **common)
    if isinstance(result, NotApplicable):
        return Finding(outcome=NOT_APPLICABLE, reason=result.reason, message_zh="不适用：" + result.reason,
                       message_en="Not applicable: " + result.reason, **common)
    raise TypeError(f"rule {info.code} returned {result!r}")

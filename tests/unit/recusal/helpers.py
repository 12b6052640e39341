"""Run one rule through the engine, with its default settings or some parameters changed."""
from dataclasses import replace

from server.recusal.engine import evaluate
from server.recusal.settings import DEFAULTS, RuleSettings


def run(rule, case, **params):
    """The rule's Finding on `case`, or None when the interview passes."""
    setting = DEFAULTS.of(rule.code)
    setting = replace(setting, params={**setting.params, **params})
    findings = evaluate(case, (rule,), RuleSettings((setting,)))
    return findings[0] if findings else None


def outcome(rule, case, **params):
    finding = run(rule, case, **params)
    return None if finding is None else finding.outcome

"""How a rule is declared: `@rule` attaches its code, version, titles, explanation, default severity,
the contract keys it needs and its parameters (with defaults and bounds) to a plain function.

A rule is `fn(case, params) -> Hit | Skip | NotApplicable | None`: a Hit is a finding with its evidence,
a Skip says why the rule could not run (never a silent pass), NotApplicable says why the rule does not
apply to this interview (not a reason to review it), None means the interview passes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Optional

from server.recusal.types import SEVERITIES


@dataclass(frozen=True)
class Param:
    """A rule parameter: `kind` is int, float, bool, str or list; bounds apply to numbers."""

    name: str
    default: Any
    about: str
    kind: str = "float"
    minimum: Optional[float] = None
    maximum: Optional[float] = None
    choices: tuple = ()
    unit: str = ""
    about_zh: str = ""  # `about` in Chinese, for the settings page

    def to_dict(self):
        return {"name": self.name, "default": self.default, "about": self.about, "about_zh": self.about_zh,
                "kind": self.kind,
                "minimum": self.minimum, "maximum": self.maximum, "choices": list(self.choices),
                "unit": self.unit}


@dataclass(frozen=True)
class Hit:
    """The rule found something: machine-readable evidence plus one sentence in each language."""

    evidence: Mapping[str, Any]
    zh: str
    en: str


@dataclass(frozen=True)
class Skip:
    """The rule could not run on this interview (data absent, household unknown, ...)."""

    reason: str


@dataclass(frozen=True)
class NotApplicable:
    """The rule does not apply to this interview (never a reason to review it)."""

    reason: str


@dataclass(frozen=True)
class RuleInfo:
    code: str
    version: int
    theme: str
    severity: str
    title_zh: str
    title_en: str
    about_zh: str
    about_en: str
    needs: tuple[str, ...] = ()
    params: tuple[Param, ...] = field(default_factory=tuple)
    answers: bool = False  # reads the interview's answers: not applicable to a refusal
    registered: bool = False  # compares with the register: not applicable to a household not on it

    def defaults(self):
        return {p.name: p.default for p in self.params}

    def to_dict(self):
        return {"code": self.code, "version": self.version, "theme": self.theme,
                "severity": self.severity, "title": {"zh": self.title_zh, "en": self.title_en},
                "explanation": {"zh": self.about_zh, "en": self.about_en}, "needs": list(self.needs),
                "parameters": [p.to_dict() for p in self.params],
                "not_applicable_to": [name for name, on in (
                    ("refusals", self.answers), ("households not on the register", self.registered)) if on]}


def rule(code, *, theme, severity, title, about, needs=(), params=(), version=1, answers=False,
         registered=False):
    """Declare a rule. `title` and `about` are (zh, en) pairs; `answers` / `registered` say it reads the
    interview's answers (so it does not apply to a refusal) / compares with the register (so it does not
    apply to a household that is not on it)."""
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: unknown severity {severity!r}")

    def decorate(fn):
        fn.info = RuleInfo(code=code, version=version, theme=theme, severity=severity,
                           title_zh=title[0], title_en=title[1], about_zh=about[0], about_en=about[1],
                           needs=tuple(needs), params=tuple(params), answers=answers, registered=registered)
        fn.code = code
        return fn
    return decorate


def skip_unanswered(case, *keys):
    """A Skip naming the first of `keys` with no answer, or None when all are answered."""
    for key in keys:
        if case.answer(key) in (None, "", []):
            return Skip(f"no answer for '{key}'")
    return None

"""How a rule is declared: `@rule` attaches its code, version, titles, explanation, default severity,
the contract keys it needs and its parameters (with defaults and bounds) to a plain function.

A rule is `fn(case, params) -> Hit | Skip | None`: a Hit is a finding with its evidence, a Skip
says why the rule could not run (never a silent pass), None means the interview passes.
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

    def to_dict(self):
        return {"name": self.name, "default": self.default, "about": self.about, "kind": self.kind,
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

    def defaults(self):
        return {p.name: p.default for p in self.params}

    def to_dict(self):
        return {"code": self.code, "version": self.version, "theme": self.theme,
                "severity": self.severity, "title": {"zh": self.title_zh, "en": self.title_en},
                "explanation": {"zh": self.about_zh, "en": self.about_en}, "needs": list(self.needs),
                "parameters": [p.to_dict() for p in self.params]}


def rule(code, *, theme, severity, title, about, needs=(), params=(), version=1):
    """Declare a rule. `title` and `about` are (zh, en) pairs."""
    if severity not in SEVERITIES:
        raise ValueError(f"{code}: unknown severity {severity!r}")

    def decorate(fn):
        fn.info = RuleInfo(code=code, version=version, theme=theme, severity=severity,
                           title_zh=title[0], title_en=title[1], about_zh=about[0], about_en=about[1],
                           needs=tuple(needs), params=tuple(params))
        fn.code = code
        return fn
    return decorate


def skip_unanswered(case, *keys):
    """A Skip naming the first of `keys` with no answer, or None when all are answered."""
    for key in keys:
        if case.answer(key) in (None, "", []):
            return Skip(f"no answer for '{key}'")
    return None

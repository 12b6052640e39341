"""The rule engine's data: a frozen snapshot of one interview (`Case`) and what a rule concludes (`Finding`).

Everything here is plain data, built by the loader from the database and read by the rules; no
database, no Flask. Times are aware datetimes; "China time" is UTC+08:00 (no DST since 1991).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Mapping, Optional

CHINA = timezone(timedelta(hours=8), "Asia/Shanghai")
SEVERITIES = ("exclude", "review", "info")
FOUND, COULD_NOT_RUN, NOT_APPLICABLE = "found", "could_not_run", "not_applicable"


@dataclass(frozen=True)
class Point:
    """A GPS fix (degrees; accuracy in metres when the phone gave one)."""

    lat: float
    lon: float
    accuracy: Optional[float] = None


@dataclass(frozen=True)
class Place:
    """Administrative place, by names and (when known) codes."""

    province: str = ""
    county: str = ""
    township: str = ""
    village: str = ""
    county_code: Optional[str] = None
    township_code: Optional[str] = None
    village_code: Optional[str] = None


@dataclass(frozen=True)
class Person:
    """The enumerator who sent the interview, with their home place."""

    id: int
    username: str
    display_name: str
    home: Place
    phone: Optional[str] = None


@dataclass(frozen=True)
class Helper:
    """A registered 帮扶责任人 of the household (a change of helper is a new entry)."""

    name: str
    phone: Optional[str] = None
    start: Optional[str] = None
    end: Optional[str] = None


@dataclass(frozen=True)
class HouseholdInfo:
    id: int
    archive_id: str
    place: Place
    location: Optional[Point] = None
    status: str = ""
    helpers: tuple[Helper, ...] = ()


@dataclass(frozen=True)
class AssignmentInfo:
    id: int
    household_id: Optional[int]
    village_code: Optional[str]


@dataclass(frozen=True)
class TokenInfo:
    """The scanned QR: `status` is absent, active, revoked, unknown or forged."""

    raw: Optional[str]
    token: Optional[str]
    status: str


@dataclass(frozen=True)
class Interview:
    """Another interview the cross-interview rules compare with (one of the same day, household, vector)."""

    submission_id: int
    instance_id: str
    household_id: Optional[int] = None
    start: Optional[datetime] = None
    end: Optional[datetime] = None
    point: Optional[Point] = None
    straight: Optional[bool] = None


@dataclass(frozen=True)
class VillageCentre:
    """The mean registered location of a village's households (for "interview in another village")."""

    code: str
    name: str
    point: Point


@dataclass(frozen=True)
class BackcheckInfo:
    """What a back-check is checked against: the household's drawn targets (original enumerator, assigned
    back-checker) and how many interviews (not back-checks, not refusals) the household has."""

    targets: tuple[tuple[int, int], ...] = ()  # (original enumerator id, back-checker id)
    originals: int = 0


@dataclass(frozen=True)
class Case:
    """One interview as the rules see it. `answers` maps contract keys to values; `fields` maps
    contract keys to the form's paths (None: the form has no usable field for that key)."""

    submission_id: int
    instance_id: str
    fields: Mapping[str, Optional[str]]
    answers: Mapping[str, Any]
    attachments: frozenset = frozenset()
    enumerator: Optional[Person] = None
    household: Optional[HouseholdInfo] = None
    assignment: Optional[AssignmentInfo] = None
    token: TokenInfo = TokenInfo(None, None, "absent")
    same_day: tuple[Interview, ...] = ()
    same_household: tuple[Interview, ...] = ()
    same_vector: tuple[Interview, ...] = ()
    villages: tuple[VillageCentre, ...] = ()
    backcheck: Optional[BackcheckInfo] = None  # set when the submission is a back-check

    def has(self, key):
        """Does the form carry a usable field for contract key `key`?"""
        return bool(self.fields.get(key))

    def answer(self, key):
        return self.answers.get(key)

    @property
    def refused(self):
        """The household did not give the interview (consent = no): only the visit can be checked."""
        return self.has("consent") and self.answer("consent") == "no"

    @property
    def not_registered(self):
        """The 漏评 screening path: a household not on the register (nothing registered to compare)."""
        return self.answer("card_status") == "not_registered" and not self.answer("hh_qr")


@dataclass(frozen=True)
class Finding:
    """What one rule concluded about one interview: `found` (with evidence), `could_not_run` (data it needs
    and should have had is missing: a look is needed) or `not_applicable` (the rule does not apply to this
    interview: a refusal, a household not on the register, a question not asked on this path)."""

    code: str
    version: int
    severity: str
    title_zh: str
    title_en: str
    outcome: str
    evidence: Mapping[str, Any] = field(default_factory=dict)
    parameters: Mapping[str, Any] = field(default_factory=dict)
    message_zh: str = ""
    message_en: str = ""
    reason: str = ""

    def to_dict(self):
        return {"code": self.code, "version": self.version, "severity": self.severity,
                "title": {"zh": self.title_zh, "en": self.title_en}, "outcome": self.outcome,
                "evidence": dict(self.evidence), "parameters": dict(self.parameters),
                "message": {"zh": self.message_zh, "en": self.message_en}, "reason": self.reason}

"""Pure helpers that turn rows and answers into the Case's parts (the loader feeds them rows).

Kept apart from the loader so the translation from database to snapshot is tested without one.
"""
import re

from server.submissions.answers import data_key
from server.recusal.measure import china_day, parse_time, point_of
from server.recusal.types import Helper, HouseholdInfo, Interview, Person, Place, Point, TokenInfo

_TOKEN = re.compile(r"[A-Za-z0-9_-]{8,128}")
_CARD_URL = re.compile(r"(https?://\S+?)/h/([A-Za-z0-9_-]{8,128})/?")


def contract_fields(contract, version_fields, field_map=None):
    """{contract key: instance path or None}: the version's resolved contract, then the form's field
    map on top (a map entry is a path, or a field name looked up in the version's fields)."""
    fields = dict((contract or {}).get("fields") or {})
    by_name = {}
    for field in version_fields or ():
        by_name.setdefault(field.get("name"), []).append(field.get("path"))
    for key, target in (field_map or {}).items():
        if isinstance(target, str) and target.startswith("/"):
            fields[key] = target
        elif len(by_name.get(target, ())) == 1:
            fields[key] = by_name[target][0]
    return fields


def answers_by_key(data, fields):
    """{contract key: answer} for every key the form carries (repeats are left as lists)."""
    return {key: data.get(data_key(path)) for key, path in fields.items() if path}


def card_of(answers):
    """What identifies the household: the scanned card, else the household chosen from the assigned list
    (card missing or unreadable)."""
    return answers.get("hh_qr") or answers.get("hh_pick")


def parse_qr(raw, public_url=""):
    """TokenInfo for a scanned card: a bare token or `<PUBLIC_URL>/h/<token>`. Status is `absent`,
    `forged` (not our format or address) or `pending` (the loader then looks the token up)."""
    if raw in (None, ""):
        return TokenInfo(None, None, "absent")
    text = str(raw).strip()
    if _TOKEN.fullmatch(text):
        return TokenInfo(text, text, "pending")
    match = _CARD_URL.fullmatch(text)
    if match is None:
        return TokenInfo(text, None, "forged")
    base = (public_url or "").rstrip("/")
    if base and match.group(1).rstrip("/").lower() != base.lower():
        return TokenInfo(text, match.group(2), "forged")
    return TokenInfo(text, match.group(2), "pending")


def person(row):
    """Person from an Enumerator row (or any object with its attributes)."""
    return Person(id=row.id, username=row.username, display_name=row.display_name or "",
                  home=Place(row.province or "", row.county or "", row.township or "", row.village or "",
                             row.county_code, row.township_code, row.village_code),
                  phone=getattr(row, "phone", None) or None)


def household(row):
    """HouseholdInfo from a Household row; helpers come from the archive record."""
    location = None
    if row.latitude is not None and row.longitude is not None:
        location = Point(row.latitude, row.longitude)
    helpers = tuple(Helper(h.get("name") or "", h.get("phone"), _text(h.get("start")), _text(h.get("end")))
                    for h in (row.record or {}).get("helpers") or () if isinstance(h, dict))
    place = Place(row.province or "", row.county or "", row.township or "", row.village or "",
                  row.county_code or None, row.township_code or None, row.village_code or None)
    return HouseholdInfo(row.id, row.archive_id, place, location, row.status or "", helpers)


def _text(value):
    return None if value is None else str(value)


def fact_values(answers):
    """(day, start, end, point) of an interview from its answers, for the interview_fact row."""
    start, end = parse_time(answers.get("start")), parse_time(answers.get("end"))
    return (china_day(start) if start else None), start, end, point_of(answers.get("gps"))


def interview(fact):
    """Interview from an InterviewFact row."""
    point = None
    if fact.latitude is not None and fact.longitude is not None:
        point = Point(fact.latitude, fact.longitude)
    return Interview(fact.submission_id, fact.instance_id, fact.household_id, fact.started_at, fact.ended_at,
                     point, fact.straight)

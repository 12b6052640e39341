"""Build Cases for the unit tests: a clean interview of a registered household, then overrides."""
from dataclasses import replace

from forms.contract import KEYS
from server.recusal.types import (AssignmentInfo, Case, Helper, HouseholdInfo, Interview, Person, Place,
                                  Point, TokenInfo, VillageCentre)

ALL_FIELDS = {key: f"/data/{key}" for key in KEYS}
HOME = Place("甘肃省", "安定区", "凤翔镇", "中川村", "621102", "621102100", "621102100201")
THERE = Place("内蒙古自治区", "阿尔山市", "白狼镇", "第1村", "150782", "150782101", "150782101201")
DWELLING = Point(47.18, 119.95)


def answers(**overrides):
    base = {"start": "2025-05-01T09:00:00.000+08:00", "end": "2025-05-01T09:40:00.000+08:00",
            "deviceid": "collect:x", "enumerator": "enum1",
            "gps": {"lat": 47.18, "lon": 119.95, "alt": 1200.0, "accuracy": 8.0},
            "hh_qr": "tok_abcdefgh", "card_status": "has_card", "consent": "yes", "present": ["respondent"],
            "enum_relation": "none", "head_present": "yes", "hh_type": "exited", "reg_year": "2014",
            "hh_size": 4, "hh_resident": 3, "b1": 12000, "b2": 1530, "b3": 1230, "b4": 0, "b5": 850,
            "b6": 300, "b7": 2100, "b8": "4000_6000", "a8": "yes", "a9": "no", "a10": "no", "a11": "no",
            "a12": "no", "a13": "no", "c1": "yes", "c3": "yes", "c4": "tap", "c5": "enough", "c7": "no",
            "d2": "no", "d3": "all", "d10": "grade_a", "d12": "no", "e1": ["industry"], "f1": "yes",
            "f2": "yes", "f3": "5", "f4": "4", "f5": "5", "judgement": "none",
            "photo_house": "house.jpg", "photo_inside": "inside.jpg", "photo_sign": "sign.jpg"}
    base.update(overrides)
    return base


def case(fields=None, **overrides):
    """A clean Case; keyword `answers` replaces the answers, other keywords replace Case fields."""
    household = HouseholdInfo(7, "A-7", THERE, DWELLING, "exited", (Helper("李帮扶", "0482-1234567"),))
    base = Case(submission_id=1, instance_id="uuid:1", fields=fields or ALL_FIELDS, answers=answers(),
                attachments=frozenset({"house.jpg", "inside.jpg", "sign.jpg"}),
                enumerator=Person(3, "enum1", "张调查", HOME), household=household,
                assignment=AssignmentInfo(5, 7, None),
                token=TokenInfo("tok_abcdefgh", "tok_abcdefgh", "active"),
                villages=(VillageCentre(THERE.village_code, "第1村", DWELLING),
                          VillageCentre("150782101202", "第2村", Point(47.30, 120.10))))
    return replace(base, **overrides)


def other(n, start, end, lat=47.18, lon=119.95, household_id=None, straight=False):
    from server.recusal.measure import parse_time
    return Interview(100 + n, f"uuid:other{n}", household_id, parse_time(start), parse_time(end),
                     Point(lat, lon), straight)


def without(*keys):
    return {k: (None if k in keys else v) for k, v in ALL_FIELDS.items()}

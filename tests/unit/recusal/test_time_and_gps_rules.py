"""Presence and time rules (TIM-*, GPS-*), table-driven, with the edges: limits are inclusive,
times are China time whatever offset the phone wrote, 0,0 is no fix."""
import pytest

from server.recusal.rules import location, timing
from tests.unit.recusal.cases import DWELLING, answers, case, other, without
from tests.unit.recusal.helpers import outcome, run

KM_PER_DEGREE = 6371.0088 * 3.141592653589793 / 180


def north(km, accuracy=8.0):
    return {"lat": DWELLING.lat + km / KM_PER_DEGREE, "lon": DWELLING.lon, "accuracy": accuracy}


def times(start, end):
    return answers(start=start, end=end)


def t(clock, zone="+08:00", day="2025-05-01"):
    return f"{day}T{clock}{zone}"


def leg(start, end, km):
    return [other(1, DAY + start + "+08:00", DAY + end + "+08:00", lat=47.18 + km / KM_PER_DEGREE)]


@pytest.mark.parametrize("rule, the_answers, expected", [
    (timing.too_short, times(t("09:00:00"), t("09:15:00")), None),  # exactly 15:00
    (timing.too_short, times("2025-05-01T09:00:00+08:00", "2025-05-01T09:14:59+08:00"), "found"),
    (timing.too_short, times(t("01:00:00", "Z"), t("09:10:00")), "found"),  # 10 min, mixed zones
    (timing.too_short, times("2025-05-01T09:00:00+08:00", "2025-05-01T08:50:00+08:00"), "found"),  # end first
    (timing.too_short, times("2025-05-01T09:00:00+08:00", None), "could_not_run"),
    (timing.too_short, times("not a time", "2025-05-01T09:50:00+08:00"), "could_not_run"),
    (timing.too_long, times("2025-05-01T09:00:00+08:00", "2025-05-01T11:00:00+08:00"), None),  # exactly 120
    (timing.too_long, times("2025-05-01T09:00:00+08:00", "2025-05-01T11:00:01+08:00"), "found"),
    (timing.outside_hours, times("2025-05-01T21:30:00+08:00", "2025-05-01T22:00:00+08:00"), None),  # 22:00:00
    (timing.outside_hours, times("2025-05-01T21:30:00+08:00", "2025-05-01T22:00:01+08:00"), "found"),
    (timing.outside_hours, times(t("13:30:00", "Z"), t("14:00:00", "Z")), None),  # 21:30–22:00 China
    (timing.outside_hours, times("2025-05-01T13:30:00Z", "2025-05-01T14:00:01Z"), "found"),
    (timing.outside_hours, times(t("09:00:00", "-05:00"), t("09:00:00", "-05:00")), None),  # 22:00 China
    (timing.outside_hours, times(t("16:59:59", "-05:00", "2025-04-30"), t("17:40", "-05:00", "2025-04-30")),
     "found"),  # 05:59:59 China
    (timing.outside_hours, times("2025-04-30T17:00:00-05:00", "2025-04-30T17:40:00-05:00"), None),  # 06:00:00
    (timing.outside_hours, times(None, None), "could_not_run"),
    (location.gps_missing, answers(), None),
    (location.gps_missing, answers(gps=None), "found"),
    (location.gps_missing, answers(gps={"lat": 0.0, "lon": 0.0, "accuracy": 5.0}), "found"),
    (location.gps_inaccurate, answers(gps=north(0, accuracy=50.0)), None),  # exactly 50 m
    (location.gps_inaccurate, answers(gps=north(0, accuracy=50.1)), "found"),
    (location.gps_inaccurate, answers(gps={"lat": 47.18, "lon": 119.95}), "could_not_run"),
    (location.gps_inaccurate, answers(gps={"lat": 0.0, "lon": 0.0, "accuracy": 5.0}), "could_not_run"),
    (location.gps_far, answers(gps=north(2.0)), None),  # exactly 2.000 km
    (location.gps_far, answers(gps=north(2.001)), "found"),
    (location.gps_far, answers(gps=north(3.4)), "found"),
    (location.gps_far, answers(gps={"lat": 0.0, "lon": 0.0}), "could_not_run"),
    (location.gps_far, answers(gps=None), "could_not_run"),
])
def test_time_and_gps_rule(rule, the_answers, expected):
    assert outcome(rule, case(answers=the_answers)) == expected


@pytest.mark.parametrize("rule, missing", [
    (timing.too_short, "end"), (timing.too_long, "start"), (timing.outside_hours, "start"),
    (timing.too_many_per_day, "start"), (location.gps_missing, "gps"), (location.gps_inaccurate, "gps"),
    (location.gps_far, "gps"), (location.travel_speed, "gps"),
])
def test_a_form_without_the_field_means_could_not_run(rule, missing):
    finding = run(rule, case(fields=without(missing)))
    assert finding.outcome == "could_not_run" and missing in finding.reason


def test_the_distance_evidence_reads_like_a_sentence():
    finding = run(location.gps_far, case(answers=answers(gps=north(3.4))))
    assert finding.evidence == {"distance_km": 3.4, "limit_km": 2.0}
    assert finding.message_en == "GPS 3.4 km from the registered dwelling, limit 2 km"
    assert finding.message_zh == "定位距登记住址3.4公里，上限2公里"


def test_a_household_without_a_location_cannot_be_measured():
    from dataclasses import replace
    household = replace(case().household, location=None)
    assert outcome(location.gps_far, case(household=household)) == "could_not_run"


DAY = "2025-05-01T"


@pytest.mark.parametrize("others, expected", [
    ([], None),
    (leg("07:00:00", "08:00:00", 60), None),  # exactly 60 km/h
    (leg("07:00:00", "08:00:00", 61), "found"),
    (leg("09:10:00", "09:30:00", 5), "found"),  # overlapping interviews
    (leg("08:59:00", "08:59:30", 0.4), None),  # GPS jitter
    # Only the neighbours count: the far one is two interviews away.
    ([other(1, DAY + "05:00:00+08:00", DAY + "05:30:00+08:00", lat=49.0),
      other(2, DAY + "08:00:00+08:00", DAY + "08:30:00+08:00")], None),
])
def test_travel_speed_between_consecutive_interviews(others, expected):
    assert outcome(location.travel_speed, case(same_day=tuple(others))) == expected


@pytest.mark.parametrize("count, expected", [(9, None), (10, "found")])
def test_interviews_per_day_limit_is_inclusive(count, expected):
    others = tuple(other(i, DAY + "07:00:00+08:00", DAY + "07:30:00+08:00") for i in range(count))
    assert outcome(timing.too_many_per_day, case(same_day=others)) == expected  # 10 pass, 11 flagged

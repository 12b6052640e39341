"""Answers and records for the pure reconciliation tests: a clean exited household that agrees with its
record, and small edits of it. It exited in 2020 and is interviewed in 2021 (income year 2020): the
2020 line (4,000) is the line of its exit year and of its income year alike."""
import copy

from server.evaluation_settings.reconciliation import effective


def settings(**overrides):
    return effective({"reconciliation": overrides})


RECORD = {
    "archive_id": "A1", "province": "内蒙古自治区", "province_code": "150000", "head_name": "王建国",
    "members": [{"name": "王建国", "relation": "head"}, {"name": "李秀英", "relation": "spouse"},
                {"name": "王志强", "relation": "son"}],
    "registration_year": 2014, "status": "exited", "exit_year": 2020, "main_cause": "lack_skills",
    "income": [{"year": 2020, "per_capita_net": 5000.0}],
    "indicators": {"food": True, "clothing": True, "water": True, "education": True, "medical": True,
                   "housing": True},
    "helpers": [{"name": "李帮扶", "start": "2016-03-01", "end": None}],
    "measures": [{"category": "industry"}, {"category": "health"}],
}

ANSWERS = {
    "start": "2021-05-01T09:00:00.000+08:00", "card_status": "has_card", "hh_type": "exited",
    "reg_year": "2014", "exit_year": 2020, "a6": "skills", "hh_size": 3,
    "members": [{"member_name": "王建国", "member_rel": "head"}, {"member_name": "李秀英", "member_rel": "spouse"},
                {"member_name": "王志强", "member_rel": "child"}],
    # (9000 + 3000 + 2000 + 0 - 1000 + 500 + 1500) / 3 = 5000
    "b1": 9000, "b2": 3000, "b3": 2000, "b4": 0, "b5": 1000, "b6": 500, "b7": 1500, "b8": "4000_6000",
    "a8": "yes", "a9": "no", "a10": "no", "a11": "no", "a12": "no", "a13": "no",
    "c1": "yes", "c3": "yes", "c4": "tap", "c5": "enough", "c7": "no", "d1": 1, "d2": "no", "d3": "all",
    "d7": 1, "d10": "grade_a", "d12": "no", "e1": ["industry", "medical"],
    "f1": "yes", "f2": "yes", "f3": "5", "f4": "4", "f5": "5",
}


def record(**changes):
    out = copy.deepcopy(RECORD)
    out.update(changes)
    return out


def answers(drop=(), **changes):
    out = copy.deepcopy(ANSWERS)
    out.update(changes)
    for key in drop:
        out.pop(key, None)
    return out


def non_registered(**changes):
    base = answers(card_status="not_registered", hh_type="non_registered",
                   drop=("reg_year", "exit_year", "a6", "a8", "a9", "a10", "a11", "a12", "a13",
                         "f2", "f3", "f4"))
    base.update(changes)
    return base

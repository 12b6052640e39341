"""Valid household records for tests and the benchmark: deterministic, with valid ID numbers."""
import random
from datetime import date

from server.households.idcard import make_number

COUNTY = ("内蒙古自治区", "150000", "阿尔山市", "150782")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英桂兰志强海燕玉珍文华春梅德明丽娟永福淑芬"


def village_code(n=1, township=1):
    return f"{COUNTY[3]}{100 + township:03d}{200 + n:03d}"


def _person(rng, relation, born, sex):
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    return {"name": name, "sex": sex, "relation": relation, "birth_date": born.isoformat(),
            "id_number": make_number(COUNTY[3], born, rng.randrange(1000)),
            "health": rng.choice(("healthy", "healthy", "chronic", "disabled")),
            "labour": rng.choice(("ordinary", "skilled", "weak", "none")),
            "school": "not_in_school"}


def _members(rng, count):
    head_born = date(rng.randrange(1950, 1985), rng.randrange(1, 13), rng.randrange(1, 29))
    members = [_person(rng, "head", head_born, "male"), _person(rng, "spouse", head_born, "female")]
    for _ in range(count - 2):
        child = _person(rng, "son", date(rng.randrange(2000, 2015), rng.randrange(1, 13), 1), "male")
        child["school"] = "primary"
        members.append(child)
    return members[:count]


def make_record(n=0, village=1, members=4, status=None, seed=None, **overrides):
    """A valid record; `n` makes the archive id, `village` the village (1..999)."""
    rng = random.Random(seed if seed is not None else n * 7919 + village)
    code = village_code(village)
    people = _members(rng, members)
    status = status or rng.choice(("exited", "exited", "not_exited", "returned"))
    record = {
        "archive_id": f"{code}{n:06d}", "province": COUNTY[0], "province_code": COUNTY[1],
        "county": COUNTY[2], "county_code": COUNTY[3], "township": "白狼镇", "township_code": code[:9],
        "village": f"第{village}村", "village_code": code, "group": "一组", "head_name": people[0]["name"],
        "phone": "13800000000", "members": people, "registration_year": 2014,
        "poverty_attribute": "general", "main_cause": "illness", "other_causes": ["lack_skills"],
        # Exited in 2020: the line of that year (4,000) is shipped, so 错退 is judged (interviews of 2021).
        "status": status, "exit_year": None if status == "not_exited" else 2020,
        "income": [{"year": 2018, "per_capita_net": 4200.5}, {"year": 2019, "per_capita_net": 5100.0}],
        "indicators": {"food": True, "clothing": True, "water": True, "education": True,
                       "medical": True, "housing": True},
        "helpers": [{"name": "李帮扶", "unit": "阿尔山市林业局", "level": "county", "phone": "0482-1234567",
                     "start": "2016-03-01", "end": None}],
        "measures": [{"category": "industry", "name": "养牛", "year": 2017, "amount": 5000.0}],
        "location": {"latitude": 47.17 + rng.random() / 50, "longitude": 119.94 + rng.random() / 50},
    }
    record.update(overrides)
    return record


def make_records(count, village=1, start=0, **overrides):
    return [make_record(start + i, village, **overrides) for i in range(count)]

"""A demo evaluation: a county's worth of sample households, two enumerators and a supervisor."""
import os
import random
import secrets

from sqlalchemy import select

from server import accounts, evaluations
from server.cli.common import collect_url, public_url
from server.extensions import db
from server.models import Evaluation, Household, HouseholdToken

CODE = "demo"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "建国秀英桂兰志强海燕玉珍文华春梅德明丽娟永福淑芬"
VILLAGES = (("150782101201", "白狼镇", "150782101", "林海村"), ("150782101202", "白狼镇", "150782101", "洮儿河村"))


def load_demo():
    """Create the demo once; return the lines that tell a person how to use it."""
    evaluation = db.session.execute(select(Evaluation).where(Evaluation.code == CODE)).scalar()
    if evaluation is not None:
        return ["The demo evaluation already exists (code 'demo'). Enumerator URLs: "
                "`fieldcheck enumerators list demo`."]
    evaluation = evaluations.create_evaluation(CODE, "示范评估 Demo evaluation (阿尔山市)", actor="demo")
    password = os.environ.get("FIELDCHECK_PASSWORD") or secrets.token_urlsafe(12)
    accounts.create_user("supervisor", password, "supervisor", evaluation, "示范督导 Demo supervisor",
                         actor="demo")
    urls = [_enumerator(evaluation, *spec) for spec in (
        ("enum1", "调查员一 Enumerator 1", "凉城县", "岱海镇", "东营子村"),
        ("enum2", "调查员二 Enumerator 2", "武川县", "可镇", "西乌兰不浪村"))]
    _households(evaluation, random.Random(2020))
    db.session.commit()
    return [f"Demo evaluation 'demo' loaded: {len(VILLAGES) * 10} households in 2 villages.",
            f"Dashboard: {public_url()}/  user 'supervisor', password: {password}",
            "Point ODK Collect at one of these server URLs (Settings > Project > Server):",
            *urls]


def _enumerator(evaluation, username, name, county, township, village):
    _, token = accounts.create_enumerator(evaluation, username, county=county, township=township,
                                          village=village, display_name=name, actor="demo")
    return f"  {username}: {collect_url(evaluation, token)}"


def _households(evaluation, rng):
    for village_code, township, township_code, village in VILLAGES:
        for n in range(10):
            head = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
            status = rng.choice(("exited", "exited", "not_exited"))
            household = Household(
                evaluation_id=evaluation.id, archive_id=f"{village_code}{n:04d}", province="内蒙古自治区",
                county="阿尔山市", county_code="150782", township=township, township_code=township_code,
                village=village, village_code=village_code, head_name=head,
                member_count=rng.randint(1, 6), status=status, registration_year=rng.choice((2014, 2015)),
                exit_year=2019 if status == "exited" else None,
                latitude=47.17 + rng.random() / 50, longitude=119.94 + rng.random() / 50,
                record={"head": {"name": head}})
            db.session.add(household)
            db.session.flush()
            db.session.add(HouseholdToken(household_id=household.id, token=secrets.token_urlsafe(16)))



def database_is_empty():
    return db.session.execute(select(Evaluation.id).limit(1)).first() is None

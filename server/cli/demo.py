"""A demo evaluation: the shipped questionnaires, sample households assigned to two enumerators from
other counties, and a supervisor: ready for ODK Collect."""
import os
import random
import secrets
from datetime import date

from flask import current_app
from sqlalchemy import select

from forms import xlsform
from server.accounts import evaluations, users
from server.cli import demo_interviews
from server.questionnaires import forms_service
from server.cli.common import collect_url, public_url
from server.infra.extensions import db
from server.households import assignments, idcard, service
from server.models import Enumerator, Evaluation, Household

SHIPPED = xlsform.DIR

CODE = "demo"
PASSWORD_FILE = "demo_password"  # in the instance folder, so `fieldcheck serve` can repeat the sign-in
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
    password = os.environ.get("FIELDCHECK_PASSWORD") or _keep_password(secrets.token_urlsafe(12))
    users.create_user("supervisor", password, "supervisor", evaluation, "示范督导 Demo supervisor",
                      actor="demo")
    urls = [_enumerator(evaluation, *spec) for spec in (
        ("enum1", "调查员一 Enumerator 1", "凉城县", "岱海镇", "东营子村"),
        ("enum2", "调查员二 Enumerator 2", "武川县", "可镇", "西乌兰不浪村"))]
    _households(evaluation, random.Random(2020))
    _assign_villages(evaluation)
    for name in ("household_interview.xlsx", "backcheck.xlsx"):
        forms_service.publish_form(evaluation, (SHIPPED / name).read_bytes(), name, actor="demo")
    interviews = demo_interviews.add_interviews(evaluation)
    db.session.commit()
    return [f"Demo evaluation 'demo' loaded: the shipped questionnaires, {len(VILLAGES) * 10} households "
            f"in 2 villages (one per enumerator), {interviews} interviews (some flagged for review).",
            f"API: {public_url()}/api/v1/docs  sign in as 'supervisor' with password: {password}",
            "Point ODK Collect at one of these server URLs (Settings > Project > Server):",
            *urls]


def _keep_password(password):
    """A generated demo password, kept readable only by this user (a password one chose is never written)."""
    path = os.path.join(current_app.instance_path, PASSWORD_FILE)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(password + "\n")
    return password


def _assign_villages(evaluation):
    people = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation.id)
                                .order_by(Enumerator.username)).scalars().all()
    for person, (village_code, *_rest) in zip(people, VILLAGES):
        for household in db.session.execute(select(Household).where(
                Household.evaluation_id == evaluation.id, Household.village_code == village_code)).scalars():
            assignments.assign(evaluation, person, "demo", household=household)


def _enumerator(evaluation, username, name, county, township, village):
    _, token = users.create_enumerator(evaluation, username, county=county, township=township,
                                       village=village, display_name=name, actor="demo")
    return f"  {username}: {collect_url(evaluation, token)}"


def _households(evaluation, rng):
    records = []
    for village_code, township, _township_code, village in VILLAGES:
        for n in range(10):
            records.append(_record(rng, f"{village_code}{n:04d}", village_code, township, village))
    service.upsert_batch(evaluation, records, actor="demo")


def _record(rng, archive_id, village_code, township, village):
    status = rng.choice(("exited", "exited", "not_exited"))
    members = [_member(rng, "head" if i == 0 else rng.choice(("spouse", "son", "daughter")), i)
               for i in range(rng.randint(1, 6))]
    return {"archive_id": archive_id, "province": "内蒙古自治区", "province_code": "150000",
            "county": "阿尔山市", "county_code": "150782", "township": township,
            "township_code": village_code[:9], "village": village, "village_code": village_code,
            "head_name": members[0]["name"], "members": members,
            "registration_year": rng.choice((2014, 2015)), "poverty_attribute": "general",
            "main_cause": rng.choice(("illness", "lack_skills", "disability")),
            "status": status, "exit_year": 2020 if status == "exited" else None,
            "location": {"latitude": 47.17 + rng.random() / 50, "longitude": 119.94 + rng.random() / 50}}


def _member(rng, relation, index):
    born = date(rng.randint(1950, 2010), rng.randint(1, 12), rng.randint(1, 28))
    return {"name": rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            "sex": rng.choice(("male", "female")), "relation": relation, "birth_date": born.isoformat(),
            "id_number": idcard.make_number("150782", born, index), "health": "healthy",
            "labour": "ordinary", "school": "not_in_school"}


def database_is_empty():
    return db.session.execute(select(Evaluation.id).limit(1)).first() is None

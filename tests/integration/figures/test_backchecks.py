"""Back-checks: a seeded share of each enumerator's interviews goes to another enumerator, whose phone gets
the household but not the original answers; the back-check is compared by field type and reported."""
import hashlib
import math
import random
import uuid
from pathlib import Path

from server.questionnaires import audience, forms_service
from server.pipeline import outbox
from server.backchecks import queries, service
from server.infra.errors import Problem
from server.infra.extensions import db
from server.households.register_media import register_csv
from server.models import BackcheckTarget, Enumerator, Form, FormVersion, Submission
from testkit.collect_wire import build_instance_xml
from testkit.factories import make_enumerator
from testkit.figures_factories import fields_for, run_worker
from tests.integration.recusal.conftest import world  # noqa: F401  (fixture)
from testkit.recusal_factories import at, submit

BACKCHECK_FORM = Path(__file__).resolve().parents[3] / "forms" / "xlsform" / "backcheck.xlsx"


def backcheck_fields(token, household, enumerator="enum2", **changes):
    fields = {"start": at(10, 0, day=3), "end": at(10, 12, day=3), "today": "2025-05-03",
              "deviceid": "collect:bc0000000001", "enumerator": enumerator,
              "cover": {"village_code": "150782101201", "partner": "enum3",
                        "gps": f"{household.latitude} {household.longitude} 1200.0 8.0"},
              "card": {"card_status": "has_card", "hh_qr": token}, "consent_grp": {"consent": "yes"},
              "recusal": {"present": "respondent", "enum_relation": "none"},
              "stable": {"head_present": "yes", "hh_type": "exited", "reg_year": "2014", "hh_size": 4,
                         "hh_resident": 3},
              "hard": {"b8": "4000_6000"}, "stability": {"f3": "5", "f4": "4"},
              "close": {"photo_house": "house.jpg", "bc_note": ""}}
    for path, value in changes.items():
        group, name = path.split("__")
        fields[group][name] = value
    return fields


def submit_backcheck(evaluation, enumerator, fields):
    version = db.session.query(FormVersion).join(FormVersion.form).filter_by(xml_form_id="fc_backcheck").one()
    instance_id = f"uuid:{uuid.uuid4()}"
    xml = build_instance_xml("fc_backcheck", version.version, instance_id, fields)
    row = Submission(evaluation_id=evaluation.id, form_version_id=version.id, enumerator_id=enumerator.id,
                     instance_id=instance_id, root_instance_id=instance_id, xml=xml.decode(),
                     xml_sha256=hashlib.sha256(xml).hexdigest())
    db.session.add(row)
    db.session.flush()
    outbox.emit("submission.received", {"submission_id": row.id}, evaluation.id)
    db.session.commit()
    return row.id


def setup(world):  # noqa: F811
    forms_service.publish_form(world.evaluation, BACKCHECK_FORM.read_bytes(), BACKCHECK_FORM.name,
                               actor="test")
    make_enumerator(world.evaluation, "enum2", county="海淀区", county_code="110108")
    ids = []
    for household, token in world.households:
        ids.append(submit(world.evaluation, world.enumerator, fields_for(token, household)).id)
    run_worker()
    return ids


def test_the_draw_is_seeded_and_goes_to_another_enumerator(world):  # noqa: F811
    ids = setup(world)
    draw, targets = service.draw(world.evaluation, "test", share=0.5, seed="s1")
    db.session.commit()
    rng = random.Random(f"s1:{world.enumerator_id}")
    expected = sorted(rng.sample(sorted(ids), math.ceil(0.5 * len(ids))))
    assert sorted(t.original_submission_id for t in targets) == expected
    checker = db.session.query(Enumerator).filter_by(username="enum2").one()
    assert {t.backchecker_id for t in targets} == {checker.id}
    again, more = service.draw(world.evaluation, "test", share=0.5, seed="s1")  # drawn ones are not redrawn
    assert not {t.original_submission_id for t in more} & set(expected)
    csv = register_csv(checker).decode()
    original = db.session.get(Submission, expected[0])
    assert original.answers["data"]["income/b1"] and str(original.answers["data"]["income/b1"]) not in csv
    header = csv.splitlines()[0].split(",")  # (a random card token may well contain "b8")
    assert "hh_size" not in header and "b8" not in header


def test_a_backcheck_is_compared_by_field_type_and_reported(world):  # noqa: F811
    setup(world)
    _, targets = service.draw(world.evaluation, "test", share=0.25, seed="s2")
    db.session.commit()
    target = db.session.get(BackcheckTarget, targets[0].id)
    household, token = next((h, t) for h, t in world.households if h.id == target.household_id)
    checker = db.session.get(Enumerator, target.backchecker_id)
    submit_backcheck(world.evaluation, checker, backcheck_fields(token, household, stable__hh_size=5,
                                                                 stability__f3="3"))
    run_worker()
    db.session.expire_all()
    target = db.session.get(BackcheckTarget, target.id)
    verdicts = {row["key"]: (row["type"], row["verdict"]) for row in target.comparison}
    assert verdicts["hh_size"] == (1, "differs") and verdicts["f3"] == (3, "differs")
    assert verdicts["hh_type"] == (1, "same") and verdicts["b8"] == (2, "same")
    report = queries.report(world.evaluation)
    assert report["backchecks"] == 1
    assert report["by_enumerator"] == [{"enumerator": "enum1", "compared": 8, "differences": 2,
                                        "error_rate": 0.25}]
    by_type = {r["type"]: (r["compared"], r["differences"]) for r in report["by_type"]}
    assert by_type == {1: (5, 1), 2: (1, 0), 3: (2, 1)}
    assert {r["key"]: r["differences"] for r in report["by_field"]}["hh_size"] == 1


def test_the_draw_goes_to_the_team_the_backcheck_questionnaire_reaches(world):  # noqa: F811
    setup(world)
    form = db.session.query(Form).filter_by(xml_form_id="fc_backcheck").one()
    audience.set_audience(form, ["回访组"], "test")
    db.session.commit()
    try:  # nobody in the team yet: enum2 could take them, but their phone never gets the questionnaire
        service.draw(world.evaluation, "test", share=1, seed="s2")
    except Problem as problem:
        assert problem.code == "backcheck.no_backcheckers"
    else:
        raise AssertionError("back-checks were given to enumerators the questionnaire does not reach")
    db.session.rollback()
    make_enumerator(world.evaluation, "bc1", county="延庆区", county_code="110119", team="回访组")
    _, targets = service.draw(world.evaluation, "test", share=1, seed="s2")
    checker = db.session.query(Enumerator).filter_by(username="bc1").one()
    assert targets and {t.backchecker_id for t in targets} == {checker.id}

"""Recusal rules (REC-*), table-driven: officials present, locality, helper, declared relation."""
from dataclasses import replace

import pytest

from server.recusal.rules import cadre
from server.recusal.types import Helper, Person
from tests.unit.recusal.cases import HOME, THERE, answers, case, without
from tests.unit.recusal.helpers import outcome, run

LOCAL = Person(3, "enum1", "张调查", THERE)
SAME_COUNTY_NAMES_ONLY = Person(3, "enum1", "张调查",
                                replace(THERE, county_code=None, township_code=None, village_code=None))


@pytest.mark.parametrize("rule, the_case, expected", [
    (cadre.official_present, case(), None),
    (cadre.official_present, case(answers=answers(present=["respondent", "village_cadre"])), "found"),
    (cadre.official_present, case(answers=answers(present=["respondent", "township_cadre"])), "found"),
    (cadre.official_present, case(answers=answers(present=["respondent", "helper"])), "found"),
    (cadre.official_present, case(answers=answers(present=["work_team"])), "found"),
    (cadre.official_present, case(answers=answers(present=["respondent", "neighbour", "other"])), None),
    (cadre.official_present, case(answers=answers(present=None)), "could_not_run"),
    (cadre.official_present, case(fields=without("present")), "could_not_run"),
    (cadre.enumerator_locality, case(), None),
    (cadre.enumerator_locality, case(enumerator=LOCAL), "found"),
    (cadre.enumerator_locality, case(enumerator=SAME_COUNTY_NAMES_ONLY), "found"),
    (cadre.enumerator_locality, case(household=None), "could_not_run"),
    (cadre.enumerator_locality, case(enumerator=None), "could_not_run"),
    (cadre.enumerator_locality, case(fields=without("hh_qr")), "could_not_run"),
    (cadre.enumerator_is_helper, case(), None),
    (cadre.enumerator_is_helper, case(enumerator=Person(3, "enum1", "李帮扶", HOME)), "found"),
    (cadre.enumerator_is_helper, case(household=None), "could_not_run"),
    (cadre.declared_relation, case(), None),
    (cadre.declared_relation, case(answers=answers(enum_relation="relative")), "found"),
    (cadre.declared_relation, case(answers=answers(enum_relation="acquaintance")), "found"),
    (cadre.declared_relation, case(answers=answers(enum_relation=None)), "could_not_run"),
    (cadre.declared_relation, case(fields=without("enum_relation")), "could_not_run"),
], ids=lambda v: getattr(v, "code", None) if callable(v) else None)
def test_recusal_rule(rule, the_case, expected):
    assert outcome(rule, the_case) == expected


def test_every_recusal_rule_excludes_by_default():
    for rule in (cadre.official_present, cadre.enumerator_locality, cadre.enumerator_is_helper,
                 cadre.declared_relation):
        assert rule.info.severity == "exclude"


def test_the_evidence_names_the_officials():
    finding = run(cadre.official_present, case(answers=answers(present=["respondent", "helper"])))
    assert finding.evidence["officials"] == ["helper"] and finding.severity == "exclude"
    assert "帮扶责任人" in finding.message_zh and "helper" in finding.message_en


@pytest.mark.parametrize("level, home, expected", [
    ("county", replace(HOME, county_code="150782", township_code=None, village_code=None), "found"),
    ("township", replace(HOME, county_code="150782", township_code=None, village_code=None), None),
    ("township", replace(THERE, village_code=None), "found"),
    ("village", replace(THERE, village_code="150782101299"), None),
    ("province", replace(HOME, county_code="150102", township_code=None, village_code=None), "found"),
])
def test_the_recusal_level_decides_how_close_is_too_close(level, home, expected):
    the_case = case(enumerator=Person(3, "enum1", "张调查", home))
    assert outcome(cadre.enumerator_locality, the_case, level=level) == expected


def test_a_registered_helper_matches_by_phone_too():
    household = case().household
    household = replace(household, helpers=(Helper("别人", "13800000000"),))
    enumerator = replace(case().enumerator, display_name="", phone="13800000000")
    assert outcome(cadre.enumerator_is_helper, case(household=household, enumerator=enumerator)) == "found"

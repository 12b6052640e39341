"""Matching answers with the archive record: one table of cases, item by item, including missing and
ambiguous data."""
import pytest

from server.reconciliation.match import match
from tests.unit.reconciliation.helpers import answers, non_registered, record, settings


def verdicts(result):
    return {c["item"]: c["verdict"] for c in result}


def one(result, item):
    return next(c for c in result if c["item"] == item)


def test_a_household_that_matches_its_record_agrees_everywhere():
    result = match(answers(), record(), settings())
    assert set(verdicts(result).values()) == {"agrees"}, verdicts(result)
    assert one(result, "income_above_line")["verdict"] == "agrees"


CASES = [
    # (what, answers, record, item, verdict)
    ("one person more", answers(hh_size=4), record(), "household_size", "differs"),
    ("size within a set tolerance", answers(hh_size=4), record(), "household_size", "agrees"),
    ("size not answered", answers(drop=("hh_size",)), record(), "household_size", "cannot_compare"),
    ("another member listed", answers(members=[{"member_name": "王建国", "member_rel": "head"},
                                               {"member_name": "张三", "member_rel": "spouse"},
                                               {"member_name": "王志强", "member_rel": "child"}]),
     record(), "members", "differs"),
    ("names with spaces still match", answers(members=[{"member_name": "王 建国", "member_rel": "head"},
                                                       {"member_name": "李秀英", "member_rel": "spouse"},
                                                       {"member_name": "王志强", "member_rel": "child"}]),
     record(), "members", "agrees"),
    ("two heads: ambiguous", answers(members=[{"member_name": "王建国", "member_rel": "head"},
                                              {"member_name": "李秀英", "member_rel": "head"}]),
     record(), "head", "cannot_compare"),
    ("another head", answers(members=[{"member_name": "王志强", "member_rel": "head"}]), record(), "head",
     "differs"),
    ("registered in another year", answers(reg_year="2016"), record(), "registration_year", "differs"),
    ("registration year unknown", answers(reg_year="unknown"), record(), "registration_year",
     "cannot_compare"),
    ("says not exited", answers(hh_type="poor"), record(), "exited", "differs"),
    ("returned (返贫) is poor again", answers(hh_type="poor"), record(status="returned"), "exited", "agrees"),
    ("exit year differs", answers(exit_year=2019), record(), "exit_year", "differs"),
    ("cause mapped from the form's code", answers(a6="skills"), record(), "main_cause", "agrees"),
    ("another cause", answers(a6="illness"), record(), "main_cause", "differs"),
    ("income 30% lower", answers(b1=4500), record(), "income", "differs"),
    ("no record income for the year", answers(), record(income=[{"year": 2017, "per_capita_net": 3000.0}]),
     "income", "cannot_compare"),
    ("income items missing, pc_income used", answers(drop=("b1",), pc_income=4900), record(), "income",
     "agrees"),
    ("below the 2020 line", answers(b1=1000), record(), "income_above_line", "differs"),
    ("2019 has no line unless set", answers(exit_year=2019), record(exit_year=2019), "income_above_line",
     "cannot_compare"),
    ("a 2019 line once set", answers(exit_year=2019), record(exit_year=2019), "income_above_line",
     "agrees"),
    ("an exited household: its exit year's line", answers(start="2020-05-01T09:00:00+08:00"), record(),
     "income_above_line", "agrees"),
    ("a poor household: the income year's line", answers(start="2020-05-01T09:00:00+08:00", hh_type="poor"),
     record(status="not_exited", exit_year=None), "income_above_line", "cannot_compare"),
    ("food not secured", answers(c1="no"), record(), "assurance.food", "differs"),
    ("record has no assessment", answers(), record(indicators={"food": None}), "assurance.food",
     "cannot_compare"),
    ("water not answered", answers(drop=("c5", "c7")), record(), "assurance.water", "cannot_compare"),
    ("no child: education assured", answers(d1=0, drop=("d2",)), record(), "assurance.education", "agrees"),
    ("helper unknown to the household", answers(a8="no"), record(), "helper_known", "differs"),
    ("helper question not asked", answers(drop=("a8",)), record(), "helper_known", "cannot_compare"),
    ("a recorded measure not acknowledged", answers(e1=["industry"]), record(), "assistance", "differs"),
    ("more acknowledged than recorded", answers(e1=["industry", "medical", "housing"]), record(),
     "assistance",
     "agrees"),
    ("assistance as a space-separated string", answers(e1="industry medical"), record(), "assistance",
     "agrees"),
]
TOLERANT = {"size within a set tolerance": {"tolerances": {"household_size": 1}},
            "a 2019 line once set": {"poverty_lines": {"national": {"2019": 3747}}}}


@pytest.mark.parametrize("what, given, rec, item, verdict", CASES, ids=[c[0] for c in CASES])
def test_each_item(what, given, rec, item, verdict):
    result = match(given, rec, settings(**TOLERANT.get(what, {})))
    assert one(result, item)["verdict"] == verdict, one(result, item)


def test_the_comparison_carries_record_answer_and_tolerance():
    size = one(match(answers(hh_size=4), record(), settings()), "household_size")
    assert size == {"item": "household_size", "record": 3, "answer": 4, "tolerance": 0, "verdict": "differs"}
    line = one(match(answers(), record(), settings()), "income_above_line")
    assert line["record"] == {"line": 4000.0, "year": 2020, "table": "national"}


def test_a_province_line_wins_over_the_national_one():
    custom = settings(poverty_lines={"150000": {"2020": 6000}})
    line = one(match(answers(), record(), custom), "income_above_line")
    assert (line["record"], line["verdict"]) == ({"line": 6000.0, "year": 2020, "table": "150000"}, "differs")
    assert custom["poverty_lines"]["national"] == {"2013": 2736, "2020": 4000}  # merged, not replaced


def test_a_household_not_in_the_register_compares_registration_only():
    assert match(non_registered(), None, settings()) == [
        {"item": "registered", "record": False, "answer": False, "tolerance": None, "verdict": "agrees"}]
    claims = match(answers(card_status="no_card"), None, settings())
    assert verdicts(claims) == {"registered": "differs"}
    assert verdicts(match(answers(drop=("hh_type",), card_status="no_card"), None, settings())) == {
        "registered": "cannot_compare"}

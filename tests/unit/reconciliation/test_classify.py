"""Classification: 错评 / 漏评 / 错退 with reasons, 认可 and satisfaction, from the rules as data. Table cases,
incl. missing answers, a year without a poverty line and the B8 band that straddles the line."""
import pytest

from server.reconciliation.classify import classify
from tests.unit.reconciliation.helpers import answers, non_registered, record, settings

POOR = record(status="not_exited", exit_year=None)


def flag(result, name):
    f = result["flags"][name]
    return f["verdict"], f["reasons"]


CASES = [
    # (what, answers, record, flag, verdict, reasons)
    ("clean exited household", answers(), record(), "wrongly_exited", "clear", []),
    ("exited, below the line", answers(b1=1000), record(), "wrongly_exited", "suspected", ["below_line"]),
    ("exited, house grade D", answers(d10="grade_d"), record(), "wrongly_exited", "suspected",
     ["assurance_failed"]),
    ("exited, both", answers(b1=1000, c1="no"), record(), "wrongly_exited", "suspected",
     ["below_line", "assurance_failed"]),
    ("exited, income and band missing", answers(drop=("b1", "b8")), record(), "wrongly_exited",
     "undetermined",
     ["below_line"]),
    ("exited, income missing, band decides above", answers(drop=("b1",), b8="6000_10000"), record(),
     "wrongly_exited", "clear", []),
    ("exited, income missing, band wholly below", answers(drop=("b1",), b8="lt3000"), record(),
     "wrongly_exited", "suspected", ["below_line"]),
    ("exited, income missing, band straddles", answers(drop=("b1",), b8="unknown"), record(),
     "wrongly_exited",
     "undetermined", ["below_line"]),
    ("no line for the exit year 2019", answers(), record(exit_year=2019), "wrongly_exited",
     "undetermined", ["below_line"]),
    ("no line, but an assurance fails", answers(c3="no"), record(exit_year=2019),
     "wrongly_exited", "suspected", ["assurance_failed"]),
    ("错退 reads the exit year's line, not the income year's (2019: none)",
     answers(start="2020-06-01T10:00:00+08:00"), record(), "wrongly_exited", "clear", []),
    ("below the exit year's line, above the income year's", answers(b1=7000),
     record(exit_year=2018), "wrongly_exited", "suspected", ["below_line"]),
    ("above the exit year's line, below the income year's", answers(b1=4500),
     record(exit_year=2017), "wrongly_exited", "clear", []),
    ("poor household is not judged for 错退", answers(hh_type="poor", b1=10), POOR, "wrongly_exited",
     "not_applicable", []),
    ("civil servant in a registered household", answers(a9="yes"), record(), "wrongly_registered",
     "suspected",
     ["civil_servant"]),
    ("car and company", answers(a11="yes", a13="yes"), POOR, "wrongly_registered", "suspected",
     ["vehicle_over_30000", "company"]),
    ("negative list not asked", answers(drop=("a9", "a10", "a11", "a12", "a13")), record(),
     "wrongly_registered", "undetermined", ["civil_servant", "village_cadre", "vehicle_over_30000",
                                            "town_house_or_shop", "company"]),
    ("non-registered below the line", non_registered(b1=100), None, "missed", "suspected", ["below_line"]),
    ("漏评 reads the income year's line (2019: none)", non_registered(start="2020-06-01T10:00:00+08:00"), None,
     "missed", "undetermined", ["below_line"]),
    ("non-registered, no safe water", non_registered(c5="often_short"), None, "missed", "suspected",
     ["assurance_failed"]),
    ("non-registered, fine", non_registered(), None, "missed", "clear", []),
    ("non-registered never 错评", non_registered(a9="yes"), None, "wrongly_registered", "not_applicable", []),
    ("registered household never 漏评", answers(b1=100), record(), "missed", "not_applicable", []),
]


# The evaluation's own lines for the cases "exit year's line against the income year's" (2020: 4,000): the
# province's own 2018 line above it, a national 2017 line below it. Per-capita income (B1 + 6,000) / 3:
# b1=7000 gives 4,333 (< 4,500 but >= 4,000); b1=4500 gives 3,500 (>= 3,000 but < 4,000).
LINES = {"poverty_lines": {"150000": {"2018": 4500}, "national": {"2017": 3000}}}


@pytest.mark.parametrize("what, given, rec, name, verdict, reasons", CASES, ids=[c[0] for c in CASES])
def test_flags(what, given, rec, name, verdict, reasons):
    assert flag(classify(given, rec, settings(**LINES)), name) == (verdict, reasons)


def test_the_record_decides_the_type_and_the_persons():
    result = classify(answers(hh_type="poor", hh_size=7), record(), settings())
    assert (result["household_type"], result["persons"]) == ("exited", 3)
    assert classify(non_registered(hh_size=5), None, settings())["persons"] == 5
    unknown = classify(answers(drop=("hh_type",), card_status="no_card"), None, settings())
    assert unknown["household_type"] is None


def test_the_evidence_names_income_line_and_failed_items():
    result = classify(answers(b1=1000, d3="partial"), record(), settings())
    assert result["evidence"]["income"] == pytest.approx(2333.33)
    assert result["evidence"]["line"] == 4000.0 and result["evidence"]["failed_assurances"] == ["medical"]


@pytest.mark.parametrize("changes, endorsed", [
    ({}, True),
    ({"f3": "3"}, False),                      # 一般 is not 认可 by default
    ({"f2": "unsure"}, False),
    ({"f4": "unknown"}, False),
    ({"f1": None, "f2": None, "f3": None, "f4": None, "f5": None}, None),
])
def test_endorsement(changes, endorsed):
    assert classify(answers(**changes), record(), settings())["endorsed"] is endorsed


def test_which_answers_endorse_is_a_setting():
    lenient = settings(endorsement={"answers": ["yes", "5", "4", "3"]})
    assert classify(answers(f3="3"), record(), lenient)["endorsed"] is True
    only_f2 = settings(endorsement={"items": ["f2"]})
    assert classify(answers(f3="1"), record(), only_f2)["endorsed"] is True


@pytest.mark.parametrize("f3, f4, team, helper", [("5", "4", True, True), ("3", "2", False, False),
                                                  ("unknown", None, None, None)])
def test_satisfaction(f3, f4, team, helper):
    result = classify(answers(f3=f3, f4=f4), record(), settings())
    assert (result["satisfied_work_team"], result["satisfied_helper"]) == (team, helper)


def test_the_rules_are_data():
    # A province that also counts 不愁穿 only and treats a shop as fine: no code change.
    custom = settings(rules={"wrongly_registered": {"applies_to": ["exited", "poor"],
                                                    "any": [{"key": "a9", "in": ["yes"], "reason": "gov"}]}})
    assert flag(classify(answers(a12="yes"), record(), custom), "wrongly_registered") == ("clear", [])
    assert flag(classify(answers(a9="yes"), record(), custom), "wrongly_registered") == ("suspected", ["gov"])

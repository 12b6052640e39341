"""Identity (IDN-*), fabrication (FAB-*) and evidence (EVD-*) rules, table-driven."""
import pytest

from server.recusal.rules import evidence, fabrication, identity
from server.recusal.types import Point, TokenInfo
from tests.unit.recusal.cases import answers, case, other, without
from tests.unit.recusal.helpers import outcome, run

DAY = "2025-05-01T"


def visit(n=1, household_id=None):
    return other(n, DAY + "08:00:00Z", DAY + "09:00:00Z", household_id=household_id)


def at_one_point(count):
    return tuple(other(i, DAY + "01:00:00Z", DAY + "01:30:00Z") for i in range(count))


NO_PHOTOS = dict(photo_house=None, photo_inside=None, photo_sign=None)


@pytest.mark.parametrize("rule, the_case, expected", [
    (identity.qr_missing, case(), None),
    (identity.qr_missing, case(answers=answers(hh_qr=None, card_status="no_card")), None),
    (identity.qr_missing, case(answers=answers(hh_qr=None, card_status="not_registered")), None),
    (identity.qr_missing, case(answers=answers(hh_qr=None, card_status="has_card")), "found"),
    (identity.qr_missing, case(answers=answers(hh_qr=None, card_status="card_unreadable")), "found"),
    (identity.qr_missing, case(answers=answers(hh_qr=None, card_status=None)), "found"),
    (identity.qr_missing, case(fields=without("card_status")), "could_not_run"),
    (identity.bad_token, case(), None),
    (identity.bad_token, case(token=TokenInfo(None, None, "absent")), None),
    (identity.bad_token, case(token=TokenInfo("x", "x", "unknown"), household=None), "found"),
    (identity.bad_token, case(token=TokenInfo("x", "x", "revoked")), "found"),
    (identity.bad_token, case(token=TokenInfo("http://evil/h/x", "x", "forged"), household=None), "found"),
    (identity.not_assigned, case(), None),
    (identity.not_assigned, case(assignment=None), "found"),
    (identity.not_assigned, case(household=None, assignment=None), "could_not_run"),
    (identity.other_village, case(), None),
    (identity.other_village, case(answers=answers(gps={"lat": 47.30, "lon": 120.10})), "found"),
    (identity.other_village, case(answers=answers(gps={"lat": 0.0, "lon": 0.0})), "could_not_run"),
    (identity.other_village, case(villages=()), "could_not_run"),
    (identity.interviewed_twice, case(), None),
    (identity.interviewed_twice, case(same_household=(visit(household_id=7),)), "found"),
    (identity.interviewed_twice, case(household=None), "could_not_run"),
    (fabrication.identical_answers, case(), None),
    (fabrication.identical_answers, case(same_vector=(visit(household_id=8),)), "found"),
    (fabrication.identical_answers, case(same_vector=(visit(household_id=7),)),
     None),  # the same household again is IDN-05's business
    (fabrication.identical_answers, case(answers={"consent": "no"}), "not_applicable"),  # a refusal
    (fabrication.identical_answers, case(answers={"consent": "yes", "hh_type": "poor"}), "could_not_run"),
    (fabrication.round_incomes, case(), None),
    (fabrication.round_incomes, case(answers=answers(b1=12000, b2=3000, b3=1000, b5=0, b6=0, b7=2000)),
     "found"),
    (fabrication.round_incomes, case(answers=answers(b1=12000, b2=3000, b3=0, b5=0, b6=0, b7=0)),
     None),  # only 2 non-zero items
    (fabrication.round_incomes, case(answers=answers(**{f"b{i}": None for i in range(1, 8)})),
     "could_not_run"),
    (fabrication.same_point, case(), None),
    (fabrication.same_point, case(same_day=at_one_point(2)), None),  # 3 at one point: the limit
    (fabrication.same_point, case(same_day=at_one_point(3)), "found"),
    (evidence.photos_missing, case(), None),
    (evidence.photos_missing, case(answers=answers(photo_inside=None)), "found"),
    (evidence.photos_missing, case(attachments=frozenset({"house.jpg", "sign.jpg"})), "found"),
    (evidence.photos_missing, case(answers=answers(consent="no", **NO_PHOTOS)), "not_applicable"),
    (evidence.photos_missing, case(fields=without("photo_sign")), "could_not_run"),
    (evidence.answers_without_consent, case(), None),
    (evidence.answers_without_consent, case(answers=answers(consent="no")), "found"),
    (evidence.answers_without_consent, case(answers={"consent": "no"}), None),
    (evidence.answers_without_consent, case(answers=answers(consent=None)), "could_not_run"),
])
def test_rule(rule, the_case, expected):
    assert outcome(rule, the_case) == expected


def straight_day(share_of_five):
    return tuple(other(i, DAY + "01:00:00Z", DAY + "01:30:00Z", lat=47 + i, straight=i < share_of_five)
                 for i in range(5))


@pytest.mark.parametrize("the_case, expected", [
    (case(), None),
    (case(answers=answers(f3="5", f4="5", f5="5")), None),  # alone that day: too few to judge
    (case(answers=answers(f3="5", f4="5", f5="5"), same_day=straight_day(5)), "found"),
    (case(answers=answers(f3="5", f4="5", f5="5"), same_day=straight_day(3)), None),  # 4 of 6
    (case(answers=answers(f3=None)), None),  # F4 and F5 differ
    (case(answers=answers(f3="5", f4=None, f5="5"), same_day=straight_day(5)), "found"),  # F4 not asked
    (case(answers=answers(f3=None, f4=None)), "not_applicable"),  # one item: nothing to compare
])
def test_straight_lining(the_case, expected):
    assert outcome(fabrication.straight_lining, the_case) == expected


def test_photo_evidence_says_which_were_not_taken_and_which_never_arrived():
    finding = run(evidence.photos_missing, case(answers=answers(photo_inside=None),
                                                attachments=frozenset({"house.jpg"})))
    assert finding.evidence == {"not_taken": ["photo_inside"], "not_received": ["photo_sign"]}


def test_the_other_village_is_named():
    finding = run(identity.other_village, case(answers=answers(gps={"lat": 47.30, "lon": 120.10})))
    assert finding.evidence["nearest_village"] == "150782101202"
    assert finding.evidence["distance_nearest_km"] == 0.0 and "第2村" in finding.message_zh


def test_a_gps_point_reads_as_a_point():
    from server.recusal.measure import point_of
    assert point_of({"lat": 1, "lon": 2, "accuracy": 3}) == Point(1.0, 2.0, 3.0)
    assert point_of({"lat": 0, "lon": 0}) is None and point_of({"lat": 91, "lon": 0}) is None


def test_straight_lining_compares_list_answers_too():
    """A customised form may make a satisfaction item a select-multiple: a list is an answer like any."""
    from server.recusal.vectors import straight
    assert straight({"f3": ["5"], "f4": ["5"], "f5": ["5"]}) is True
    assert straight({"f3": ["5", "4"], "f4": ["5"], "f5": "5"}) is False
    assert straight({"f3": [], "f4": "5"}) is None

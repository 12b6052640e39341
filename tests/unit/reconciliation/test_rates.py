"""Figure arithmetic: counters of an interview, reviewed verdicts, deltas, Wilson intervals, thresholds."""
import math

import pytest

from server.figures.contribution import AREA_ZERO as ZERO
from server.figures.contribution import counters, delta
from server.figures.rates import figures, wilson
from server.reconciliation.classify import classify
from tests.unit.reconciliation.helpers import answers, non_registered, record, settings


def test_wilson_matches_the_formula():
    low, high = wilson(1, 10)
    assert (round(low, 4), round(high, 4)) == (0.0179, 0.4042)
    assert wilson(0, 0) is None
    low, high = wilson(0, 50)
    assert low == 0.0 and round(high, 4) == 0.0713
    p, n, z = 0.5, 100, 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert wilson(50, 100) == pytest.approx([centre - half, centre + half])


def test_counters_of_an_exited_household_wrongly_exited():
    c = counters(classify(answers(b1=1000), record(), settings()))
    assert (c["exited_persons"], c["wrongly_exited_persons"], c["registered_persons"]) == (3, 3, 3)
    assert (c["endorsement_answered"], c["endorsed"], c["nonregistered_persons"]) == (1, 1, 0)


def test_a_supervisor_verdict_overrides_the_suspicion():
    result = classify(answers(b1=1000), record(), settings())
    assert counters(result, {"wrongly_exited": "reject"})["wrongly_exited_persons"] == 0
    clean = classify(answers(), record(), settings())
    assert counters(clean, {"wrongly_exited": "confirm"})["wrongly_exited_households"] == 1


def test_a_missed_household_counts_its_persons():
    c = counters(classify(non_registered(b1=0, hh_size=5), None, settings()))
    assert (c["nonregistered_persons"], c["missed_persons"], c["registered_persons"]) == (5, 5, 0)


def test_delta_replaces_one_row_by_another():
    counting = {"counts": True, "status": "clean", "duplicate_of": None}
    old = {**counters(classify(answers(b1=1000), record(), settings())), **counting}
    new = {**counters(classify(answers(), record(), settings())), **counting}
    d = delta(old, new)
    assert d["wrongly_exited_persons"] == -3 and d["exited_persons"] == 0 and d["interviews"] == 0
    assert delta(None, new)["interviews"] == 1 and delta(old, None)["interviews"] == -1


def test_figures_thresholds_and_accuracies():
    c = dict(ZERO, exited_persons=200, wrongly_exited_persons=4, nonregistered_persons=100, missed_persons=1,
             registered_persons=300, wrongly_registered_persons=3, endorsement_answered=90, endorsed=81)
    f = figures(c, settings())
    assert (f["wrongly_exited_rate"]["value"], f["wrongly_exited_rate"]["pass"]) == (0.02, False)
    assert (f["missed_rate"]["value"], f["missed_rate"]["pass"]) == (0.01, True)
    assert (f["endorsement_rate"]["value"], f["endorsement_rate"]["pass"]) == (0.9, True)
    assert (f["exit_accuracy"]["numerator"], f["exit_accuracy"]["denominator"]) == (196, 200)
    accuracy = f["identification_accuracy"]
    assert (accuracy["numerator"], accuracy["denominator"]) == (396, 400)
    assert f["exit_accuracy"]["ci95"] == pytest.approx(wilson(196, 200))
    other = figures(c, settings(identification={"formula": "wrongly_registered"}))
    assert other["identification_accuracy"]["numerator"] == 297
    assert f["work_team_satisfaction"]["value"] is None and f["work_team_satisfaction"]["ci95"] is None

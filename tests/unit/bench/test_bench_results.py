"""`make bench`'s figures: recorded as JSON lines only when the runner asks, judged against their targets in
their own direction, and two runs compared with a regression flagged past the threshold."""
import json

from bench import results
from bench.compare import compare
from bench.run_all import table


def test_a_figure_is_recorded_only_when_the_runner_names_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("BENCH_RESULTS", raising=False)
    results.record("ingest", "accepted", 300, "/s", target=350)  # run alone: nothing written, no error
    path = tmp_path / "figures.jsonl"
    monkeypatch.setenv("BENCH_RESULTS", str(path))
    results.record("ingest", "accepted", 361.24, "/s", target=350)
    results.record("ingest", "POST p99", 120.5, "ms", target=100, better="lower")
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert [(f["name"], f["value"]) for f in lines] == [("accepted", 361.24), ("POST p99", 120.5)]
    assert [results.passed(f) for f in lines] == [True, False]


def test_targets_are_met_in_each_figures_own_direction():
    rate = {"value": 350, "target": 350, "better": "higher"}
    time = {"value": 101, "target": 100, "better": "lower"}
    untargeted = {"value": 5, "target": None, "better": "lower"}
    assert (results.passed(rate), results.passed(time), results.passed(untargeted)) == (True, False, None)
    text = table([{"bench": "ingest", "name": "accepted", "unit": "/s", **rate},
                  {"bench": "ingest", "name": "POST p99", "unit": "ms", **time}])
    rows = [line.split() for line in text.splitlines()]
    assert rows[1][-3:] == ["≥", "350", "pass"] and rows[2][-3:] == ["≤", "100", "FAIL"]


def _figures(**values):
    better = {"rate": "higher", "p99": "lower"}
    return {("b", name): {"bench": "b", "name": name, "value": v, "better": better[name]}
            for name, v in values.items()}


def test_a_comparison_flags_only_what_got_worse_past_the_threshold():
    a = _figures(rate=100.0, p99=50.0)
    _, flagged = compare(a, _figures(rate=71.0, p99=64.0), worse=30)  # -29 %, +28 %: within
    assert flagged == 0
    lines, flagged = compare(a, _figures(rate=69.0, p99=40.0), worse=30)  # -31 %: worse; a faster p99 is not
    assert flagged == 1
    assert any("b: rate" in line and "WORSE" in line for line in lines)
    assert not any("b: p99" in line and "WORSE" in line for line in lines)

"""What a benchmark measured, kept for `make bench` (bench/run_all.py).

A benchmark prints its figures for a reader as before and also calls `record(...)`: when BENCH_RESULTS names
a file (the runner sets it), the figure is appended to it as one JSON line, so the runner never parses
printed text. Run alone, a benchmark writes nothing more.
"""
import json
import os


def record(bench, name, value, unit, target=None, better="higher"):
    """One figure: `target` is the bound it must meet (>= when `better` is "higher", <= when "lower")."""
    path = os.environ.get("BENCH_RESULTS")
    if not path:
        return
    line = {"bench": bench, "name": name, "value": round(float(value), 3), "unit": unit, "target": target,
            "better": better}
    with open(path, "a") as out:
        out.write(json.dumps(line, ensure_ascii=False) + "\n")


def passed(figure):
    """True/False against its target; None when it has none (or was not measured)."""
    target, value = figure.get("target"), figure.get("value")
    if target is None or value is None:
        return None
    return value >= target if figure["better"] == "higher" else value <= target

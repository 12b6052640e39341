"""`make bench-compare A=<file> B=<file>`: two runs of bench/run_all.py side by side, each figure's change.

    python bench/compare.py A.json B.json [--worse 30]

A figure is flagged when B is more than --worse percent worse than A in its own direction (lower for a rate,
higher for a time). Exit 1 when any is. Compare runs of one machine and one size (both quick or both full).
"""
import argparse
import json
import sys


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("a")
    parser.add_argument("b")
    parser.add_argument("--worse", type=float, default=30.0, help="percent worse that flags a figure")
    args = parser.parse_args()
    a, b = (_load(path) for path in (args.a, args.b))
    lines, flagged = compare(a, b, args.worse)
    print("\n".join(lines))
    sys.exit(1 if flagged else 0)


def _load(path):
    with open(path) as source:
        run = json.load(source)
    return {(f["bench"], f["name"]): f for f in run["figures"]}


def compare(a, b, worse):
    """(printable lines, how many figures got worse by more than `worse` percent)."""
    lines, flagged = [f"{'figure':40s} {'A':>12s} {'B':>12s} {'change':>8s}"], 0
    for key in [k for k in a if k in b] + [k for k in b if k not in a]:
        fa, fb = a.get(key), b.get(key)
        label = f"{key[0]}: {key[1]}"
        if fa is None or fb is None:
            lines.append(f"{label:40s} {'-' if fa is None else fa['value']:>12} "
                         f"{'-' if fb is None else fb['value']:>12}")
            continue
        change = (fb["value"] - fa["value"]) / fa["value"] * 100 if fa["value"] else 0.0
        bad = -change if fb["better"] == "higher" else change
        mark = "  WORSE" if bad > worse else ""
        flagged += bool(mark)
        lines.append(f"{label:40s} {fa['value']:>12} {fb['value']:>12} {change:+7.1f}%{mark}")
    return lines, flagged


if __name__ == "__main__":
    main()

"""What one interview adds to the figures: a row of counters derived from its classification and the
supervisors' verdicts. Pure. The per-area aggregates are sums of these rows, so replacing a row by
another is a delta, and reading the figures never needs the interviews themselves.
"""
from server.figures.counters import COUNTERS
from server.reconciliation.classify import SUSPECTED

ZERO = dict.fromkeys(COUNTERS, 0)


def effective_flags(classification, reviews):
    """{flag: True/False}: a supervisor's confirm/reject (latest per flag) overrides the suspicion."""
    out = {}
    for flag, result in (classification.get("flags") or {}).items():
        decision = (reviews or {}).get(flag)
        if decision == "confirm":
            out[flag] = True
        elif decision == "reject":
            out[flag] = False
        else:
            out[flag] = result.get("verdict") == SUSPECTED
    return out


def counters(classification, reviews=None):
    """The counters of one interview that counts (all zero for an unknown household type)."""
    kind = classification.get("household_type")
    row = dict(ZERO, interviews=1)
    if kind is None:
        return row
    flags = effective_flags(classification, reviews)
    n = int(classification.get("persons") or 0)
    row.update(households=1, persons=n)
    if kind in ("exited", "poor"):
        _add(row, "registered", n)
        _add(row, "wrongly_registered", n, flags.get("wrongly_registered"))
    if kind == "non_registered":
        _add(row, "nonregistered", n)
        _add(row, "missed", n, flags.get("missed"))
    if kind == "exited":
        _add(row, "exited", n)
        _add(row, "wrongly_exited", n, flags.get("wrongly_exited"))
    _answer(row, "endorsement_answered", "endorsed", classification.get("endorsed"))
    _answer(row, "work_team_answered", "work_team_satisfied", classification.get("satisfied_work_team"))
    _answer(row, "helper_answered", "helper_satisfied", classification.get("satisfied_helper"))
    row["undetermined"] = int(any(f.get("verdict") == "undetermined"
                                  for f in (classification.get("flags") or {}).values()))
    return row


def _add(row, prefix, persons, when=True):
    if when:
        row[f"{prefix}_households"] += 1
        row[f"{prefix}_persons"] += persons


def _answer(row, asked, yes, value):
    if value is not None:
        row[asked] += 1
        row[yes] += int(bool(value))


def delta(old, new):
    """new - old, counter by counter (None stands for a row that does not count)."""
    old, new = old or ZERO, new or ZERO
    return {k: new.get(k, 0) - old.get(k, 0) for k in COUNTERS}

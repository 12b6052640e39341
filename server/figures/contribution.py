"""What one interview adds to the figures: a row of counters derived from its classification and the
supervisors' verdicts, and what the row adds to its area (`aggregate`). Pure. The per-area aggregates are
sums of `aggregate(row)`, so replacing a row by another is a delta, and reading the figures never needs
the interviews themselves.

Who counts where (README "Figures"): an interview that counts adds its rate counters and one contacted
household; a refusal adds one contacted household and nothing to any rate; an interview left out (awaiting
review under the default policy, rejected, a duplicate of its household) adds one to its reason, per
population, and nothing else. An older version of an edited interview adds nothing.
"""
from server.evaluation_settings.reconciliation import REFUSED, SUSPECTED
from server.models.counters import AREA_COUNTERS, CONTRIBUTION_COUNTERS, COUNTERS

ZERO = dict.fromkeys(CONTRIBUTION_COUNTERS, 0)
AREA_ZERO = dict.fromkeys(AREA_COUNTERS, 0)
SUPERSEDED = "superseded"


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


def counters(classification, reviews=None, substitute=False):
    """The counters of one interview (all zero for an unknown household type). A refusal keeps only its
    household type (for the left-out counts): no persons, no flag, no answer."""
    kind = classification.get("household_type")
    row = dict(ZERO, interviews=1, substitute=int(bool(substitute)))
    if classification.get("outcome") == REFUSED:
        row.update(refused=1, households=int(kind is not None))
        for prefix, kinds in (("registered", ("exited", "poor")), ("nonregistered", ("non_registered",)),
                              ("exited", ("exited",))):
            row[f"{prefix}_households"] = int(kind in kinds)
        return row
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


def left_out(row):
    """Why a contribution row is left out of the rates (a REASONS value, SUPERSEDED), or None: it counts."""
    status = row.get("status") or ""
    if status == SUPERSEDED:
        return SUPERSEDED
    if status == "excluded":
        return "rejected"
    if not row.get("counts"):
        return "awaiting_review"
    if row.get("duplicate_of"):
        return "duplicate"
    if row.get("refused"):
        return "refused"
    return None


def populations(row):
    """The populations a row belongs to (counters.POPULATIONS), from its household type."""
    out = ["all"]
    out += [p for p in ("registered", "nonregistered", "exited") if row.get(f"{p}_households")]
    return out


def aggregate(row):
    """What a contribution row (a dict, or None) adds to its area's aggregate."""
    out = dict(AREA_ZERO)
    if row is None:
        return out
    reason = left_out(row)
    if reason == SUPERSEDED:
        return out
    if reason is None:
        out.update({k: row.get(k) or 0 for k in COUNTERS})
    if reason in (None, "refused"):
        out.update(contacted=1, substitutes=int(bool(row.get("substitute"))))
    if reason is not None:
        for population in populations(row):
            out[f"left_{reason}_{population}"] = 1
    return out


def delta(old, new):
    """aggregate(new) - aggregate(old), counter by counter (None stands for no row)."""
    old, new = aggregate(old), aggregate(new)
    return {k: new[k] - old[k] for k in AREA_COUNTERS}

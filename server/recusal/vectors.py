"""Answer fingerprints for the fabrication rules, shared by the loader (to find matches) and the rules.

The vector is the substantive answers (household, income, 两不愁三保障, assistance, endorsement),
without the meta fields (times, GPS, QR, photos) that differ between any two real interviews.
"""
import hashlib
import json

SUBSTANTIVE = ("hh_type", "reg_year", "head_present", "hh_size", "hh_resident",
               *(f"b{i}" for i in range(1, 9)), "a8", *(f"a{i}" for i in range(9, 14)),
               "c1", "c3", "c4", "c5", "c7", "d2", "d3", "d10", "d12", "e1",
               "f1", "f2", "f3", "f4", "f5", "judgement")
SATISFACTION_ITEMS = ("f3", "f4", "f5")
MIN_ANSWERED = 10  # fewer answers than this (a refusal, a short form) is no fingerprint


def vector_sha256(answers):
    """sha256 of the substantive answers, or None when too few are answered to mean anything."""
    values = {k: answers.get(k) for k in SUBSTANTIVE if answers.get(k) not in (None, "", [])}
    if len(values) < MIN_ANSWERED:
        return None
    body = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def straight(answers, items=SATISFACTION_ITEMS):
    """True if every satisfaction item has the same answer, False if not, None if any is missing."""
    values = [answers.get(k) for k in items]
    if any(v in (None, "") for v in values):
        return None
    return len(set(values)) == 1

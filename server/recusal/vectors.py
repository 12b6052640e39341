"""Answer fingerprints for the fabrication rules, shared by the loader (to find matches) and the rules.

The fingerprint (FAB-01, "identical answers") is the sha256 of the SUBSTANTIVE answers: what the household
says about itself (type, registration year, size, income B1-B8, helper known, the 错评 screen A9-A13,
两不愁三保障 C/D, assistance E1, endorsement and satisfaction F1-F5). It leaves out the circumstances of
the visit, which differ between real interviews or say nothing about the household: times, GPS, card,
photos, who was present (present, head_present), the enumerator's own judgement, consent.
"""
import hashlib
import json

SUBSTANTIVE = ("hh_type", "reg_year", "hh_size", "hh_resident",
               *(f"b{i}" for i in range(1, 9)), "a8", *(f"a{i}" for i in range(9, 14)),
               "c1", "c3", "c4", "c5", "c7", "d2", "d3", "d10", "d12", "e1",
               "f1", "f2", "f3", "f4", "f5")
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
    """True if every satisfaction item asked has the same answer, False if not, None if fewer than two
    were asked (F4, the helper, is not asked of a household not on the register)."""
    values = [answers.get(k) for k in items if answers.get(k) not in (None, "", [])]
    if len(values) < 2:
        return None
    # An answer may be a list (a select-multiple in a customised form): compare it as a tuple.
    return len({tuple(v) if isinstance(v, list) else v for v in values}) == 1

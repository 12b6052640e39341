"""Field by field: what the household answered against its archive record. Pure.

`match(answers, record, settings)` returns a list of comparisons, each a dict
{item, record, answer, tolerance, verdict}, verdict one of agrees / differs / cannot_compare.
`record` is the archive record (server/households/schema.py) or None for a household that is not in
the register (a "no card" or non-registered interview); then only registration can be compared.
"""
from server.reconciliation import facts

AGREES, DIFFERS, CANNOT = "agrees", "differs", "cannot_compare"
STATUS_TYPE = {"exited": "exited", "not_exited": "poor", "returned": "poor"}  # 返贫 is poor again


def compare(item, record, answer, tolerance=None, close=None):
    """One comparison; `close(record, answer)` decides when both sides are known (default: equality)."""
    if record is None or answer is None or answer == "unknown":
        verdict = CANNOT
    else:
        verdict = AGREES if (close or (lambda r, a: r == a))(record, answer) else DIFFERS
    return {"item": item, "record": record, "answer": answer, "tolerance": tolerance, "verdict": verdict}


def answered_type(answers):
    """exited / poor / non_registered as answered (the card step's "not registered" wins), or None."""
    if answers.get("card_status") == "not_registered":
        return "non_registered"
    return answers.get("hh_type") or None


def match(answers, record, settings):
    """All comparisons of one interview with its record (None: not in the register); none for a refusal."""
    if str(answers.get("consent") or "") == "no":
        return []
    registered = compare("registered", record is not None, _answered_registered(answers))
    if record is None:
        return [registered]
    return [registered, *_household(answers, record, settings), *_status(answers, record, settings),
            *_income(answers, record, settings), *_assurances(answers, record, settings),
            _helper(answers, record), _assistance(answers, record, settings)]


def _answered_registered(answers):
    kind = answered_type(answers)
    return None if kind is None else kind != "non_registered"


def _household(answers, record, settings):
    tol = (settings.get("tolerances") or {}).get("household_size", 0)
    members = record.get("members") or []
    size = compare("household_size", len(members) or None, facts.number(answers.get("hh_size")), tol,
                   lambda r, a: abs(r - a) <= tol)
    names = [m.get("member_name") for m in answers.get("members") or () if isinstance(m, dict)]
    names = sorted(_name(n) for n in names if n) or None
    recorded = sorted(_name(m.get("name")) for m in members if m.get("name")) or None
    listed = compare("members", recorded, names, "same names, any order")
    heads = [m.get("member_name") for m in answers.get("members") or ()
             if isinstance(m, dict) and m.get("member_rel") == "head"]
    head = compare("head", _name(record.get("head_name")), _name(heads[0]) if len(heads) == 1 else None)
    return [size, listed, head]


def _name(value):
    return "".join(str(value).split()) if value is not None else None


def _status(answers, record, settings):
    tol = settings.get("tolerances") or {}
    reg_tol, exit_tol = tol.get("registration_year", 0), tol.get("exit_year", 0)
    kind = answered_type(answers)
    exited = compare("exited", STATUS_TYPE.get(record.get("status")),
                     kind if kind in ("exited", "poor") else None)
    since = compare("registration_year", record.get("registration_year"),
                    _year(answers.get("reg_year")), reg_tol, lambda r, a: abs(r - a) <= reg_tol)
    when = compare("exit_year", record.get("exit_year"), _year(answers.get("exit_year")), exit_tol,
                   lambda r, a: abs(r - a) <= exit_tol)
    cause_map = settings.get("cause_map") or {}
    answered_cause = answers.get("a6")
    cause = compare("main_cause", record.get("main_cause"),
                    cause_map.get(answered_cause, answered_cause) if answered_cause else None)
    return [exited, since, when, cause]


def _year(value):
    number = facts.number(value)
    return int(number) if number is not None else None


def _income(answers, record, settings):
    income, _ = facts.per_capita_income(answers, settings)
    year = facts.income_year(answers, settings)
    ratio = (settings.get("tolerances") or {}).get("income_ratio", 0.2)
    recorded = next((row.get("per_capita_net") for row in record.get("income") or ()
                     if row.get("year") == year), None)
    same_year = compare("income", recorded, income, {"ratio": ratio, "year": year},
                        lambda r, a: abs(a - r) <= ratio * abs(r) if r else a == r)
    # An exited household against the line of its exit year, as 错退 is judged (facts.judged_line).
    judged = facts.judged_line(STATUS_TYPE.get(record.get("status")), answers, record, settings)
    line = {"line": judged["line"], "year": judged["line_year"], "table": judged["line_table"]}
    above = compare("income_above_line", line if judged["line"] else None, income,
                    f"per-capita income >= the line of the {judged['line_basis'].replace('_', ' ')}",
                    lambda r, a: a >= r["line"])
    return [same_year, above]


def _assurances(answers, record, settings):
    answered = facts.assurances(answers, settings)
    recorded = record.get("indicators") or {}
    return [compare(f"assurance.{item}", recorded.get(item), answered.get(item)) for item in answered]


def _helper(answers, record):
    helpers = [h for h in record.get("helpers") or () if not h.get("end")]
    known = answers.get("a8")
    return compare("helper_known", bool(helpers), None if known is None else known == "yes",
                   "a current helper is on record and the household knows them")


def _assistance(answers, record, settings):
    received = answers.get("e1")
    if isinstance(received, str):
        received = received.split()
    mapping = settings.get("assistance_map") or {}
    answered = sorted({mapping.get(v, v) for v in received or () if v != "none"}) if received else None
    recorded = sorted({m.get("category") for m in record.get("measures") or () if m.get("category")}) or None
    return compare("assistance", recorded, answered, "every recorded measure is acknowledged",
                   lambda r, a: set(r) <= set(a))

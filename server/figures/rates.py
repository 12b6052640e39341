"""The figures from summed counters: rates with numerator, denominator, a 95% Wilson score interval,
the threshold and pass/fail (accuracies count the correct units, n − errors). Pure. Definitions:
evaluation.md §1.2 (错退率, 漏评率 in persons; 认可度 in households) and §1.3 (识别准确率, 退出准确率:
no official formula; derived, with the assumption stated).
"""
import math

from server.models.counters import REASONS

# Left out of every figure besides its population's REASONS: encrypted interviews no decryption run has opened
# (their household, and so the population they belong to, is unknown until then).
ENCRYPTED = "encrypted_not_checked"
LEFT_OUT_REASONS = REASONS + (ENCRYPTED,)

Z95 = 1.959963984540054
FIGURES = ("wrongly_exited_rate", "missed_rate", "wrongly_registered_rate", "identification_accuracy",
           "identification_accuracy_households", "identification_accuracy_1_minus_wrongly_registered",
           "identification_accuracy_1_minus_wrongly_registered_households", "exit_accuracy",
           "endorsement_rate", "work_team_satisfaction", "helper_satisfaction", "response_rate")
TITLES = {
    "wrongly_exited_rate": ("错退率", "wrongly exited (persons)"),
    "missed_rate": ("漏评率", "missed (persons)"),
    "wrongly_registered_rate": ("错评率", "wrongly registered"),
    "identification_accuracy": ("识别准确率（错评+漏评）", "identification accuracy (both errors, persons)"),
    "identification_accuracy_households": ("识别准确率（错评+漏评，户）",
                                           "identification accuracy (both errors, households)"),
    "identification_accuracy_1_minus_wrongly_registered": ("识别准确率（1−错评率）",
                                                           "identification accuracy (1 − 错评率, persons)"),
    "identification_accuracy_1_minus_wrongly_registered_households": (
        "识别准确率（1−错评率，户）", "identification accuracy (1 − 错评率, households)"),
    "exit_accuracy": ("退出准确率", "exit accuracy"),
    "endorsement_rate": ("群众认可度", "endorsement (households)"),
    "work_team_satisfaction": ("驻村工作队帮扶满意度", "satisfaction with the work team (households)"),
    "helper_satisfaction": ("帮扶责任人帮扶满意度", "satisfaction with the helper (households)"),
    "response_rate": ("应答率", "response rate (households visited)"),
}
# Per figure: (population whose left-out interviews it reports, population rule, denominator rule).
POPULATION = {
    "wrongly_exited_rate": (("exited",), "registered households that exited (脱贫户) interviewed",
                            "persons of those households (register members)"),
    "exit_accuracy": (("exited",), "registered households that exited (脱贫户) interviewed",
                      "persons of those households"),
    "missed_rate": (("nonregistered",), "households not on the register (非建档立卡户) interviewed in the "
                                        "screening", "persons of those households (answered size)"),
    "wrongly_registered_rate": (("registered",), "registered households (exited or poor) interviewed",
                                "persons (or households, setting identification.wrongly_registered_unit)"),
    "identification_accuracy": (("registered", "nonregistered"), "every household interviewed, registered "
                                "or not", "persons: registered sample + non-registered sample"),
    "identification_accuracy_households": (("registered", "nonregistered"), "every household interviewed, "
                                           "registered or not", "households: registered + non-registered"),
    "identification_accuracy_1_minus_wrongly_registered": (("registered",), "registered households "
                                                           "interviewed", "persons of those households"),
    "identification_accuracy_1_minus_wrongly_registered_households": (("registered",), "registered "
                                                                      "households interviewed", "households"),
    "endorsement_rate": (("all",), "every household interviewed", "households that answered an endorsement "
                                                                  "item (F1-F5)"),
    "work_team_satisfaction": (("all",), "every household interviewed (F3 is asked of all)",
                               "households that answered F3 (不了解 left out)"),
    "helper_satisfaction": (("registered",), "registered households interviewed (F4: they have a helper)",
                            "households that answered F4 (不了解 left out)"),
    "response_rate": (("all",), "every household visited: interviews and refusals (declined, nobody at home, "
                                "could not be reached)", "households visited, one count per household"),
}
# The same two rules in Chinese, for the report in Chinese.
POPULATION_ZH = {
    "wrongly_exited_rate": ("受访的已脱贫建档立卡户（脱贫户）", "这些户的人数（档案成员）"),
    "exit_accuracy": ("受访的已脱贫建档立卡户（脱贫户）", "这些户的人数"),
    "missed_rate": ("排查中受访的非建档立卡户", "这些户的人数（回答的户籍人口）"),
    "wrongly_registered_rate": ("受访的建档立卡户（已脱贫或未脱贫）",
                                "人数（或户数：设置 identification.wrongly_registered_unit）"),
    "identification_accuracy": ("全部受访户，无论是否建档立卡", "人数：建档立卡样本 + 非建档立卡样本"),
    "identification_accuracy_households": ("全部受访户，无论是否建档立卡", "户数：建档立卡 + 非建档立卡"),
    "identification_accuracy_1_minus_wrongly_registered": ("受访的建档立卡户", "这些户的人数"),
    "identification_accuracy_1_minus_wrongly_registered_households": ("受访的建档立卡户", "户数"),
    "endorsement_rate": ("全部受访户", "回答了认可项（F1–F5）的户数"),
    "work_team_satisfaction": ("全部受访户（F3 问每一户）", "回答了 F3 的户数（“不了解”不计）"),
    "helper_satisfaction": ("受访的建档立卡户（F4：有帮扶责任人）", "回答了 F4 的户数（“不了解”不计）"),
    "response_rate": ("全部走访户：访谈和拒访（拒绝、家中无人、无法联系）", "走访户数，每户计一次"),
}
ASSUMPTIONS = {
    "both": ("识别准确率 = 1 − (错评人数 + 漏评人数) ÷ (建档立卡样本人数 + 非建档立卡样本人数); no official formula "
             "was found (evaluation.md §1.3): both error types of identification are counted."),
    "wrongly_registered": ("识别准确率 = 1 − 错评率; no official formula was found (evaluation.md §1.3): "
                           "漏评 is reported separately as 漏评率."),
    "exit": "退出准确率 = 1 − 错退率 (persons); no official formula was found (evaluation.md §1.3).",
}


def wilson(k, n, z=Z95):
    """The Wilson score interval [low, high] of k successes in n trials; None when n is 0."""
    if not n:
        return None
    p = k / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At k = 0 (or n) the bound is exactly 0 (or 1); floating point would leave 1e-18.
    return [0.0 if k == 0 else max(0.0, centre - half), 1.0 if k == n else min(1.0, centre + half)]


# Per figure and reason, the counters of its populations (made once: a village page reads 1,000 figures).
_LEFT_OUT_COUNTERS = {name: {reason: tuple(f"left_{reason}_{p}" for p in pops) for reason in REASONS}
                      for name, (pops, _, _) in POPULATION.items()}


def left_out(name, c):
    """{reason: interviews} of the figure's population left out of it (LEFT_OUT_REASONS): the encrypted
    interviews not checked may belong to any figure's population, so each reports them."""
    out = {reason: sum(c.get(key, 0) for key in keys) for reason, keys in _LEFT_OUT_COUNTERS[name].items()}
    out[ENCRYPTED] = c.get(ENCRYPTED, 0)
    if name == "response_rate":
        out["refused"] = 0  # refusals are in this figure
    return out


def figure(name, numerator, denominator, thresholds, unit="persons", counters=None):
    """One figure: numerator ÷ denominator with its interval, threshold, pass/fail, its population and
    denominator rules and the interviews of its population left out, by reason."""
    value = numerator / denominator if denominator else None
    interval = wilson(numerator, denominator)
    rule = thresholds.get(name)
    passed = None
    if rule and value is not None:
        op, limit = rule
        passed = value < limit if op == "<" else value >= limit if op == ">=" else value <= limit
    return {"name": name, "title_zh": TITLES[name][0], "title_en": TITLES[name][1], "unit": unit,
            "numerator": numerator, "denominator": denominator, "value": value, "ci95": interval,
            "threshold": {"op": rule[0], "value": rule[1]} if rule else None, "pass": passed,
            "population": POPULATION[name][1], "denominator_rule": POPULATION[name][2],
            "left_out": left_out(name, counters or {})}


def figures(c, settings):
    """{name: figure} from summed counters `c` (a dict of counters.AREA_COUNTERS)."""
    th = settings.get("thresholds") or {}
    ident = settings.get("identification") or {}
    unit = ident.get("wrongly_registered_unit", "persons")

    def one(name, numerator, denominator, unit="persons"):
        return figure(name, numerator, denominator, th, unit, c)

    out = {
        "wrongly_exited_rate": one("wrongly_exited_rate", c["wrongly_exited_persons"], c["exited_persons"]),
        "missed_rate": one("missed_rate", c["missed_persons"], c["nonregistered_persons"]),
        "wrongly_registered_rate": one("wrongly_registered_rate", c[f"wrongly_registered_{unit}"],
                                       c[f"registered_{unit}"], unit),
    }
    for suffix, u in (("", "persons"), ("_households", "households")):
        sample = c[f"registered_{u}"] + c[f"nonregistered_{u}"]
        errors = c[f"wrongly_registered_{u}"] + c[f"missed_{u}"]
        out["identification_accuracy" + suffix] = one("identification_accuracy" + suffix, sample - errors,
                                                      sample, u)
        name = "identification_accuracy_1_minus_wrongly_registered" + suffix
        out[name] = one(name, c[f"registered_{u}"] - c[f"wrongly_registered_{u}"], c[f"registered_{u}"], u)
    if ident.get("formula", "both") != "both":  # the reading the evaluation chose comes first
        out["identification_accuracy"] = {**out["identification_accuracy_1_minus_wrongly_registered"],
                                          "name": "identification_accuracy"}
    out.update({
        "exit_accuracy": one("exit_accuracy", c["exited_persons"] - c["wrongly_exited_persons"],
                             c["exited_persons"]),
        "endorsement_rate": one("endorsement_rate", c["endorsed"], c["endorsement_answered"], "households"),
        "work_team_satisfaction": one("work_team_satisfaction", c["work_team_satisfied"],
                                      c["work_team_answered"], "households"),
        "helper_satisfaction": one("helper_satisfaction", c["helper_satisfied"], c["helper_answered"],
                                   "households"),
        "response_rate": one("response_rate", c["contacted"] - c["left_refused_all"], c["contacted"],
                             "households"),
    })
    return {name: out[name] for name in FIGURES}


def fieldwork(c):
    """The fieldwork figures of an area: households visited (one count each), refusals, substitutes."""
    return {"visited": c["contacted"], "interviewed": c["contacted"] - c["left_refused_all"],
            "refused": c["left_refused_all"], "substitutes": c["substitutes"]}


def policy(settings):
    """The counting policy in force, as data and in words (where users read the figures)."""
    statuses = list(settings.get("count_statuses") or ())
    provisional = "review" in statuses
    return {
        "count_statuses": statuses,
        "awaiting_review": "counted_provisionally" if provisional else "left_out",
        "statement": [
            ("Interviews awaiting review are counted provisionally (setting count_statuses includes review)."
             if provisional else "Interviews awaiting review are left out and reported beside each figure; "
             "setting count_statuses [\"clean\", \"cleared\", \"review\"] counts them provisionally."),
            "Rejected (excluded) interviews never count.",
            "Refusals (declined, nobody at home, could not be reached) count only in the response rate.",
            "One household, one count: the interview whose status counts, a real interview before a refusal, "
            "then the later visit; the household's other interviews are linked to it as duplicates.",
            "Back-check interviews feed the back-check report, never the figures.",
            "Encrypted interviews are not checked and not counted until a decryption run opens them (POST "
            ".../decryptions, fieldcheck decrypt); the interview list shows them with status "
            "encrypted_not_checked, and each figure reports them among the interviews it left out.",
        ],
    }


def assumptions(settings):
    """The stated assumptions behind the derived figures, for where users read them."""
    formula = (settings.get("identification") or {}).get("formula", "both")
    return [ASSUMPTIONS.get(formula, ASSUMPTIONS["both"]), ASSUMPTIONS["exit"]]

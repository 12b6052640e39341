"""The figures from summed counters: rates with numerator, denominator, a 95% Wilson score interval,
the threshold and pass/fail (accuracies count the correct units, n − errors). Pure. Definitions:
evaluation.md §1.2 (错退率, 漏评率 in persons; 认可度 in households) and §1.3 (识别准确率, 退出准确率:
no official formula; derived, with the assumption stated).
"""
import math

Z95 = 1.959963984540054
FIGURES = ("wrongly_exited_rate", "missed_rate", "wrongly_registered_rate", "identification_accuracy",
           "exit_accuracy", "endorsement_rate", "work_team_satisfaction", "helper_satisfaction")
TITLES = {
    "wrongly_exited_rate": ("错退率", "wrongly exited (persons)"),
    "missed_rate": ("漏评率", "missed (persons)"),
    "wrongly_registered_rate": ("错评率", "wrongly registered"),
    "identification_accuracy": ("识别准确率", "identification accuracy"),
    "exit_accuracy": ("退出准确率", "exit accuracy"),
    "endorsement_rate": ("群众认可度", "endorsement (households)"),
    "work_team_satisfaction": ("驻村工作队帮扶满意度", "satisfaction with the work team (households)"),
    "helper_satisfaction": ("帮扶责任人帮扶满意度", "satisfaction with the helper (households)"),
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


def figure(name, numerator, denominator, thresholds, unit="persons"):
    """One figure: numerator ÷ denominator with its interval, threshold and pass/fail."""
    value = numerator / denominator if denominator else None
    interval = wilson(numerator, denominator)
    rule = thresholds.get(name)
    passed = None
    if rule and value is not None:
        op, limit = rule
        passed = value < limit if op == "<" else value >= limit if op == ">=" else value <= limit
    return {"name": name, "title_zh": TITLES[name][0], "title_en": TITLES[name][1], "unit": unit,
            "numerator": numerator, "denominator": denominator, "value": value, "ci95": interval,
            "threshold": {"op": rule[0], "value": rule[1]} if rule else None, "pass": passed}


def figures(c, settings):
    """{name: figure} from summed counters `c` (a dict of COUNTERS)."""
    th = settings.get("thresholds") or {}
    ident = settings.get("identification") or {}
    unit = ident.get("wrongly_registered_unit", "persons")
    wr = figure("wrongly_registered_rate", c[f"wrongly_registered_{unit}"], c[f"registered_{unit}"], th,
                unit=unit)
    if ident.get("formula", "both") == "both":
        sample = c["registered_persons"] + c["nonregistered_persons"]
        errors = c["wrongly_registered_persons"] + c["missed_persons"]
        accuracy = figure("identification_accuracy", sample - errors, sample, th)
    else:
        accuracy = figure("identification_accuracy", wr["denominator"] - wr["numerator"], wr["denominator"],
                          th, unit=unit)
    out = {
        "wrongly_exited_rate": figure("wrongly_exited_rate", c["wrongly_exited_persons"], c["exited_persons"],
                                      th),
        "missed_rate": figure("missed_rate", c["missed_persons"], c["nonregistered_persons"], th),
        "wrongly_registered_rate": wr,
        "identification_accuracy": accuracy,
        "exit_accuracy": figure("exit_accuracy", c["exited_persons"] - c["wrongly_exited_persons"],
                                c["exited_persons"], th),
        "endorsement_rate": figure("endorsement_rate", c["endorsed"], c["endorsement_answered"], th,
                                   unit="households"),
        "work_team_satisfaction": figure("work_team_satisfaction", c["work_team_satisfied"],
                                         c["work_team_answered"], th, unit="households"),
        "helper_satisfaction": figure("helper_satisfaction", c["helper_satisfied"], c["helper_answered"], th,
                                      unit="households"),
    }
    return out


def assumptions(settings):
    """The stated assumptions behind the derived figures, for where users read them."""
    formula = (settings.get("identification") or {}).get("formula", "both")
    return [ASSUMPTIONS.get(formula, ASSUMPTIONS["both"]), ASSUMPTIONS["exit"]]

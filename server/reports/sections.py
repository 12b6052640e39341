"""The report document laid out as titled tables, the same for the workbook and the page. Pure.

Each section: {"key", "title", "note", "columns": [...], "rows": [[...]]}; values stay typed (a rate is a
fraction, formatted by the renderer as a percentage).
"""
from server.figures.rates import FIGURES, LEFT_OUT_REASONS, POPULATION_ZH

WORDS = {
    "zh": {
        "method": "方法", "figures_county": "两率一度（县）", "figures_township": "两率一度（乡镇）",
        "figures_village": "两率一度（村）", "households": "错评漏评错退户", "by_rule": "规则发现",
        "by_enumerator": "调查员发现", "backchecks": "回访复核",
        "code": "代码", "name": "名称", "interviews": "访问数", "figure": "指标", "numerator": "分子",
        "denominator": "分母", "value": "值", "ci_low": "95%区间下限", "ci_high": "95%区间上限",
        "threshold": "标准", "verdict": "结论", "pass": "达标", "fail": "未达标", "unit": "单位",
        "flag": "类别", "household": "户编号", "village": "村代码", "enumerator": "调查员", "instance": "实例编号",
        "persons": "人数", "status": "审核状态", "suspicion": "判定", "reasons": "依据", "differences": "与档案核对",
        "reviews": "督导复核", "rule": "规则", "severity": "级别", "findings": "发现数", "codes": "各规则",
        "by": "分组", "group": "组", "compared": "比对项", "different": "不一致", "error_rate": "差错率",
        "item": "项目", "detail": "内容", "wrongly_registered": "错评", "missed": "漏评", "wrongly_exited": "错退",
        "weights": "权重", "no_weights": "无：各比率为样本中的未加权比例", "samples": "样本",
        "count_statuses": "计入指标的审核状态", "by_status": "各审核状态访问数", "counted": "计入指标的访问数",
        "excluded": "剔除（按规则）", "classification_reviews": "督导对分类的复核", "assumption": "假设",
        "generated": "生成时间", "evaluation": "评估", "backchecks_done": "已完成回访",
        "level_evaluation": "全部",
        "definitions": "指标口径", "population": "总体", "denominator_rule": "分母", "left_out": "未计入（全部）",
        "unit_persons": "人", "unit_households": "户", "refused": "拒访", "awaiting_review": "待审核",
        "rejected": "已剔除", "duplicate": "重复", "encrypted_not_checked": "加密未检查",
    },
    "en": {
        "method": "Method", "figures_county": "Two rates, one degree (counties)",
        "figures_township": "Two rates, one degree (townships)",
        "figures_village": "Two rates, one degree (villages)", "households": "Flagged households",
        "by_rule": "Findings per rule", "by_enumerator": "Findings per enumerator",
        "backchecks": "Back-checks", "code": "Code", "name": "Name", "interviews": "Interviews",
        "figure": "Figure", "numerator": "Numerator",
        "denominator": "Denominator", "value": "Value", "ci_low": "95% CI low", "ci_high": "95% CI high",
        "threshold": "Threshold", "verdict": "Verdict", "pass": "pass", "fail": "FAIL", "unit": "Unit",
        "flag": "Flag", "household": "Household", "village": "Village code", "enumerator": "Enumerator",
        "instance": "Instance ID", "persons": "Persons", "status": "Review status", "suspicion": "Verdict",
        "reasons": "Evidence", "differences": "Against the record", "reviews": "Supervisor reviews",
        "rule": "Rule", "severity": "Severity", "findings": "Findings", "codes": "Per rule", "by": "By",
        "group": "Group", "compared": "Items compared", "different": "Different", "error_rate": "Error rate",
        "item": "Item", "detail": "Detail", "wrongly_registered": "wrongly registered (错评)",
        "missed": "missed (漏评)", "wrongly_exited": "wrongly exited (错退)", "weights": "Weights",
        "no_weights": "none: every rate is an unweighted proportion of the sample", "samples": "Samples",
        "count_statuses": "Review statuses that count", "by_status": "Interviews per review status",
        "counted": "Interviews counted in the figures", "excluded": "Excluded (by rule)",
        "classification_reviews": "Supervisor reviews of classifications", "assumption": "Assumption",
        "generated": "Generated", "evaluation": "Evaluation", "backchecks_done": "Back-checks done",
        "level_evaluation": "All",
        "definitions": "What each figure counts", "population": "Population",
        "denominator_rule": "Denominator",
        "left_out": "Left out (whole evaluation)", "unit_persons": "persons", "unit_households": "households",
        "refused": "refused", "awaiting_review": "awaiting review", "rejected": "rejected",
        "duplicate": "duplicate", "encrypted_not_checked": "encrypted, not checked",
    },
}
RATE_COLUMNS = ("value", "ci_low", "ci_high", "error_rate")  # shown as percentages


def words(language):
    return WORDS["zh" if language.startswith("zh") else "en"]


def sections(document):
    w = words(document["language"])
    return [_method(document, w),
            *[_figures(document, level, w) for level in ("county", "township", "village")],
            _definitions(document, w),
            _households(document, w), _by_rule(document, w), _by_enumerator(document, w),
            _backchecks(document, w)]


def _section(key, w, columns, rows, note=""):
    return {"key": key, "title": w[key], "note": note, "columns": [w[c] for c in columns],
            "fields": list(columns), "rows": rows}


def _method(document, w):
    m = document["method"]
    excluded = ", ".join(f"{e['code']} {e['interviews']}" for e in m["excluded_by_rule"]) or "-"
    reviews = ", ".join(f"{w.get(r['flag'], r['flag'])} {r['decision']} {r['count']}"
                        for r in m["classification_reviews"]) or "-"
    samples = "; ".join(f"{s['name'] or '-'} (seed {s['seed']}, {s['units']})" for s in m["samples"]) or "-"
    rows = [[w["evaluation"], f"{document['evaluation']['code']} {document['evaluation']['name']}"],
            [w["generated"], document["generated_at"].strftime("%Y-%m-%d %H:%M UTC")],
            [w["samples"], samples], [w["weights"], w["no_weights"]],
            [w["count_statuses"], ", ".join(m["count_statuses"])],
            [w["by_status"], ", ".join(f"{k} {v}" for k, v in m["interviews_by_status"].items())],
            [w["interviews"], m["interviews"]], [w["counted"], m["interviews_counted"]],
            [w["excluded"], excluded], [w["classification_reviews"], reviews],
            *[[w["assumption"], text] for text in document["assumptions"]]]
    return _section("method", w, ("item", "detail"), rows)


def _definitions(document, w):
    """Per figure: its unit, population and denominator rules, and the interviews it left out, by reason."""
    zh = document["language"].startswith("zh")
    rows = []
    separator = "，" if zh else ", "
    for f in document["overall"]["figures"]:
        population, denominator = POPULATION_ZH[f["name"]] if zh else (f["population"], f["denominator_rule"])
        left = separator.join(f"{w[reason]} {f['left_out'][reason]}" for reason in LEFT_OUT_REASONS)
        rows.append([f["title_zh"] if zh else f["title_en"], w[f"unit_{f['unit']}"], population, denominator,
                     left])
    return _section("definitions", w, ("figure", "unit", "population", "denominator_rule", "left_out"), rows)


def _figures(document, level, w):
    zh = document["language"].startswith("zh")
    rows = []
    areas = document["figures"][level]["areas"]
    if level == "county":
        areas = [{**document["overall"], "code": w["level_evaluation"], "names": {}}] + areas
    for area in areas:
        name = " ".join(v for v in (area.get("names") or {}).values() if v)
        by_name = {f["name"]: f for f in area["figures"]}
        for key in FIGURES:
            f = by_name.get(key)
            if f is None:
                continue
            ci = f["ci95"] or [None, None]
            threshold = f"{f['threshold']['op']} {f['threshold']['value']:.0%}" if f["threshold"] else ""
            verdict = {True: w["pass"], False: w["fail"], None: ""}[f["pass"]]
            rows.append([area["code"], name, area["interviews"], f["title_zh"] if zh else f["title_en"],
                         f["numerator"], f["denominator"], f["value"], ci[0], ci[1], threshold, verdict])
    columns = ("code", "name", "interviews", "figure", "numerator", "denominator", "value", "ci_low",
               "ci_high", "threshold", "verdict")
    return _section(f"figures_{level}", w, columns, rows)


def _households(document, w):
    rows = []
    for h in document["households"]:
        reviews = "; ".join(f"{r['decision']} ({r['actor']}): {r['reason']}" for r in h["reviews"])
        rows.append([w[h["flag"]], h["household"], h["village_code"], h["enumerator"], h["instance_id"],
                     h["persons"], h["status"], h["verdict"], ", ".join(map(str, h["reasons"])),
                     h["differences"], reviews])
    columns = ("flag", "household", "village", "enumerator", "instance", "persons", "status", "suspicion",
               "reasons", "differences", "reviews")
    return _section("households", w, columns, rows)


def _by_rule(document, w):
    zh = document["language"].startswith("zh")
    rows = [[r["code"], r["title_zh"] if zh else r["title_en"], r["severity"], r["interviews"]]
            for r in document["findings_by_rule"]]
    return _section("by_rule", w, ("code", "rule", "severity", "interviews"), rows)


def _by_enumerator(document, w):
    rows = [[e["enumerator"], e["interviews"], e["findings"],
             ", ".join(f"{code} {n}" for code, n in sorted(e["codes"].items()))]
            for e in document["findings_by_enumerator"]]
    return _section("by_enumerator", w, ("enumerator", "interviews", "findings", "codes"), rows)


def _backchecks(document, w):
    report = document["backchecks"]
    rows = []
    for by, key in (("by_enumerator", "enumerator"), ("by_backchecker", "backchecker"), ("by_field", "key"),
                    ("by_type", "type")):
        for bucket in report.get(by, ()):
            rows.append([by.replace("by_", ""), bucket.get(key), bucket["compared"], bucket["differences"],
                         bucket["error_rate"]])
    note = f"{w['backchecks_done']}: {report.get('backchecks', 0)}"
    return _section("backchecks", w, ("by", "group", "compared", "different", "error_rate"), rows, note)

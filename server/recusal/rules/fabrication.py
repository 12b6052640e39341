"""Fabrication signals (curbstoning): copied answers, straight-lining, round incomes, one spot for many.

None of these proves anything alone; each asks a supervisor to look (severity review).
"""
from server.recusal.measure import distance_km, fmt, point_of
from server.recusal.rulebase import Hit, NotApplicable, Param, Skip, rule
from server.recusal.vectors import SATISFACTION_ITEMS, straight, vector_sha256

INCOME_ITEMS = tuple(f"b{i}" for i in range(1, 8))


@rule("FAB-01", answers=True, theme="fabrication", severity="review",
      title=("不同农户的答案完全相同", "Identical answers across households"),
      about=("本访谈的实质性答案（家庭、收入、两不愁三保障、帮扶、认可度；不含时间、定位、在场人员等访问情况）与其他农户的访谈"
             "完全一致。两份访谈都被标记，无论哪份先同步。",
             "The substantive answers (household, income, food/clothing and the three assurances, "
             "assistance, endorsement; not the circumstances of the visit such as time, GPS or who was "
             "present) are identical to another household's interview. Both interviews are flagged, "
             "whichever synced first."),
      needs=("hh_type", "b1", "f3"),
      params=(Param("min_matches", 1, "identical interviews of other households needed",
                    about_zh="需要几份其他农户的相同访谈", kind="int",
                    minimum=1, maximum=100),))
def identical_answers(case, params):
    if vector_sha256(case.answers) is None:
        return Skip("too few substantive answers to compare")
    mine = case.household.id if case.household else None
    others = sorted(i.instance_id for i in case.same_vector
                    if i.household_id is None or i.household_id != mine)
    if len(others) < params["min_matches"]:
        return None
    return Hit({"identical_to": others, "min_matches": params["min_matches"]},
               f"答案与另外{len(others)}份访谈完全相同", f"Answers identical to {len(others)} other interview(s)")


@rule("FAB-02", answers=True, theme="fabrication", severity="review",
      title=("满意度题目一律相同", "Straight-lining on the satisfaction items"),
      about=("本访谈的满意度题（F3–F5）答案全部相同，且该调查员当天的访谈大多如此。",
             "All satisfaction items (F3–F5) have the same answer here, and so do most of the "
             "enumerator's interviews that day."),
      needs=SATISFACTION_ITEMS,
      params=(Param("min_interviews", 4, "interviews that day before the share is judged",
                    about_zh="当天访谈达到此数才判断比例", kind="int",
                    minimum=1, maximum=100),
              Param("max_share", 0.8, "largest acceptable share of straight-lined interviews",
                    about_zh="直线作答访谈可接受的最大比例", minimum=0,
                    maximum=1)))
def straight_lining(case, params):
    mine = straight(case.answers)
    if mine is None:
        return NotApplicable("fewer than two satisfaction items are asked on this path")
    if not mine:
        return None
    judged = [i.straight for i in case.same_day if i.straight is not None] + [mine]
    if len(judged) < params["min_interviews"]:
        return None
    share = round(sum(judged) / len(judged), 3)
    if share <= params["max_share"]:
        return None
    value = case.answer(SATISFACTION_ITEMS[0])
    return Hit({"items": list(SATISFACTION_ITEMS), "value": value, "share": share,
                "interviews": len(judged), "limit_share": params["max_share"]},
               f"满意度题全部答{value}；该调查员当天{fmt(share * 100, 0)}%的访谈如此",
               f"All satisfaction items answered {value}; {fmt(share * 100, 0)}% of the enumerator's "
               f"interviews that day are alike")


@rule("FAB-03", answers=True, theme="fabrication", severity="review",
      title=("收入数字过于整齐", "Suspiciously round incomes"),
      about=("各项收入（B1–B7）中非零的项目全部是整千元。", "Every non-zero income item (B1–B7) is a "
             "multiple of a round amount (1,000 yuan by default)."),
      needs=INCOME_ITEMS,
      params=(Param("round_to", 1000, "a value that is a multiple of this is round",
                    about_zh="是此数倍数的金额算作整数", minimum=1,
                    maximum=1e6, unit="yuan"),
              Param("min_items", 3, "non-zero items needed before judging",
                    about_zh="判断前需要的非零收入项数", kind="int", minimum=1,
                    maximum=7)))
def round_incomes(case, params):
    values = {k: case.answer(k) for k in INCOME_ITEMS if isinstance(case.answer(k), (int, float))}
    if not values:
        return Skip("no income item is answered")
    nonzero = {k: v for k, v in values.items() if v}
    if len(nonzero) < params["min_items"]:
        return None
    if any(float(v) % params["round_to"] for v in nonzero.values()):
        return None
    return Hit({"incomes": nonzero, "round_to": params["round_to"]},
               f"{len(nonzero)}项收入全部是{fmt(params['round_to'], 0)}元的整数倍",
               f"All {len(nonzero)} income items are multiples of {fmt(params['round_to'], 0)} yuan")


@rule("FAB-04", theme="fabrication", severity="review",
      title=("多份访谈定位在同一地点", "Many interviews at the same GPS point"),
      about=("同一调查员当天有多份访谈的定位几乎在同一点（半径内），超过上限。",
             "Several of the enumerator's interviews that day were located at almost the same point "
             "(within the radius), more than the limit."),
      needs=("gps",),
      params=(Param("radius_m", 15, "points this close count as the same",
                    about_zh="相距在此以内的位置算作同一点", minimum=0, maximum=1000,
                    unit="m"),
              Param("max_interviews", 3, "most interviews acceptable at one point",
                    about_zh="同一点可接受的最多访谈数", kind="int",
                    minimum=1, maximum=100)))
def same_point(case, params):
    point = point_of(case.answer("gps"))
    if point is None:
        return Skip("no valid GPS fix")
    near = sorted(i.instance_id for i in case.same_day
                  if i.point is not None
                  and round(distance_km(point, i.point) * 1000, 1) <= params["radius_m"])
    count = 1 + len(near)
    if count <= params["max_interviews"]:
        return None
    return Hit({"interviews": count, "others": near, "radius_m": params["radius_m"],
                "limit": params["max_interviews"]},
               f"当天有{count}份访谈定位在{fmt(params['radius_m'], 0)}米范围内，"
               f"上限{params['max_interviews']}份",
               f"{count} interviews that day within {fmt(params['radius_m'], 0)} m, "
               f"limit {params['max_interviews']}")

"""Recusal rules (回避): who was in the room, and who the enumerator is to the household.

Every rule here excludes by default: an interview with an official present, or by an enumerator
from the household's own place, does not count until a supervisor clears it.
"""
from forms.contract import PRESENT_OFFICIALS, RELATION_NONE
from server.recusal.rulebase import Hit, Param, Skip, rule, skip_unanswered
from server.recusal.types import Place

LEVELS = ("province", "county", "township", "village")
_CODE_LENGTH = {"county": 6, "township": 9, "village": 12}
_WHO_ZH = {"village_cadre": "村干部", "township_cadre": "乡镇干部", "helper": "帮扶责任人", "work_team": "驻村工作队"}


@rule("REC-01", answers=True, theme="recusal", severity="exclude",
      title=("访谈时有干部、帮扶责任人或驻村工作队在场", "Official, helper or work team present"),
      about=("访谈时在场人员中有村干部、乡镇干部、帮扶责任人或驻村工作队成员，违反清场要求。",
             "The persons present at the interview include a village or township cadre, the household's "
             "helper or the resident work team, against the rule that the scene is cleared."),
      needs=("present",),
      params=(Param("officials", list(PRESENT_OFFICIALS), "answers of 'present' that count as officials",
                    about_zh="“在场人员”中算作干部的答案",
                    kind="list", choices=PRESENT_OFFICIALS),))
def official_present(case, params):
    if (missing := skip_unanswered(case, "present")):
        return missing
    present = case.answer("present")
    present = present if isinstance(present, list) else str(present).split()
    officials = [p for p in present if p in params["officials"]]
    if not officials:
        return None
    return Hit({"present": present, "officials": officials},
               "在场人员包括" + "、".join(_WHO_ZH.get(o, o) for o in officials),
               "Present at the interview: " + ", ".join(officials))


@rule("REC-02", theme="recusal", severity="exclude",
      title=("调查员来自农户所在地", "Enumerator from the household's locality"),
      about=("调查员的家乡与被访农户在同一县（或按评估设定的乡镇、村）内，应当异地调查。",
             "The enumerator's home is in the household's county (or township or village, as the "
             "evaluation sets), but enumerators must come from elsewhere."),
      needs=("hh_qr",),
      params=(Param("level", "county", "administrative level compared",
                    about_zh="比较的行政层级", kind="str", choices=LEVELS),))
def enumerator_locality(case, params):
    if case.enumerator is None:
        return Skip("the enumerator is not known")
    place = _place_of(case)
    if place is None:
        return Skip("the household is not identified (no valid QR)")
    level = params["level"]
    home = case.enumerator.home
    mine, theirs = _code_at(home, level), _code_at(place, level)
    if mine and theirs:
        same, by = mine == theirs, "code"
    else:
        mine, theirs = getattr(home, level), getattr(place, level)
        same, by = bool(mine) and mine == theirs, "name"
    if mine in (None, "") or theirs in (None, ""):
        return Skip(f"the {level} of the enumerator or of the household is not recorded")
    if not same:
        return None
    name = getattr(place, level) or theirs
    return Hit({"level": level, "compared_by": by, "enumerator_place": mine, "household_place": theirs},
               f"调查员与农户同在{name}（{_LEVEL_ZH[level]}级回避）",
               f"The enumerator comes from the household's {level} ({name})")


_LEVEL_ZH = {"province": "省", "county": "县", "township": "乡镇", "village": "村"}


def _place_of(case):
    """The household's registered place; for a household not on the register, the village answered on the
    cover page (recusal applies to 漏评 screening too)."""
    if case.household is not None:
        return case.household.place
    code = str(case.answer("village_code") or "")
    if case.not_registered and code.isdigit() and len(code) == 12:
        return Place(county_code=code[:6], township_code=code[:9], village_code=code)
    return None


def _code_at(place, level):
    # A finer code carries the coarser ones as its prefix (统计用区划代码).
    if level == "province":
        codes = (place.village_code, place.township_code, place.county_code)
        return next((c[:2] for c in codes if c), None)
    for code in (place.village_code, place.township_code, place.county_code):
        if code and len(code) >= _CODE_LENGTH[level]:
            return code[:_CODE_LENGTH[level]]
    return None


@rule("REC-03", registered=True, theme="recusal", severity="exclude",
      title=("调查员是本户的帮扶责任人", "Enumerator is the household's registered helper"),
      about=("建档立卡档案中本户的帮扶责任人与调查员同名（或同一电话），帮扶人不得评估自己帮扶的农户。",
             "The household's registered helper has the enumerator's name (or phone); a helper may not "
             "evaluate a household they help."),
      needs=("hh_qr",))
def enumerator_is_helper(case, params):
    if case.enumerator is None:
        return Skip("the enumerator is not known")
    if case.household is None:
        return Skip("the household is not identified (no valid QR)")
    name, phone = (case.enumerator.display_name or "").strip(), case.enumerator.phone
    if not name and not phone:
        return Skip("the enumerator has no name or phone to compare")
    for helper in case.household.helpers:
        if (name and helper.name.strip() == name) or (phone and helper.phone == phone):
            return Hit({"helper": helper.name, "enumerator": case.enumerator.username,
                        "helper_since": helper.start, "helper_until": helper.end},
                       f"调查员即本户帮扶责任人{helper.name}",
                       f"The enumerator is the household's registered helper ({helper.name})")
    return None


@rule("REC-04", answers=True, theme="recusal", severity="exclude",
      title=("调查员声明与本户有关系", "Enumerator declares a relation to the household"),
      about=("调查员在回避声明中选择了与本户有亲属、同村或熟人等关系。",
             "In the recusal declaration the enumerator declared a relation to the household "
             "(relative, same village, acquaintance, ...)."),
      needs=("enum_relation",))
def declared_relation(case, params):
    if (missing := skip_unanswered(case, "enum_relation")):
        return missing
    relation = case.answer("enum_relation")
    if relation == RELATION_NONE:
        return None
    return Hit({"enum_relation": relation}, f"调查员声明与本户的关系：{relation}",
               f"The enumerator declared a relation to the household: {relation}")

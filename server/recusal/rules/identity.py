"""Identity rules: is this interview about the household it claims, and was that household due?"""
from forms.contract import NO_CARD
from server.recusal.measure import distance_km, fmt, point_of
from server.recusal.rulebase import Hit, Param, Skip, rule


@rule("IDN-01", theme="identity", severity="review",
      title=("未扫描明白卡二维码且未走无卡流程", "No QR scanned without the no-card path"),
      about=("没有扫描到农户二维码，但也没有选择“无明白卡”或“非建档立卡户”，无法确认访问的是哪一户。",
             "No household QR was scanned, yet neither 'no card' nor 'not registered' was chosen: "
             "the household cannot be identified."),
      needs=("hh_qr", "card_status"))
def qr_missing(case, params):
    if case.answer("hh_qr") or case.answer("hh_pick"):
        return None  # scanned, or chosen from the assigned list
    status = case.answer("card_status")
    if status in NO_CARD:
        return None
    return Hit({"card_status": status, "hh_qr": None},
               f"未扫描二维码（明白卡状态：{status or '未填写'}）",
               f"No QR scanned (card status: {status or 'not answered'})")


_BAD = {"unknown": ("二维码不属于本评估的任何农户", "the QR token belongs to no household of this evaluation"),
        "revoked": ("二维码已作废", "the QR token has been revoked"),
        "forged": ("二维码不是本系统签发的", "the QR was not issued by this server")}


@rule("IDN-02", theme="identity", severity="review",
      title=("二维码未知、已作废或伪造", "Unknown, revoked or forged QR token"),
      about=("扫描到的明白卡二维码在农户库中找不到、已被作废，或者不是本系统签发的格式或网址。",
             "The scanned card QR is not in the register, has been revoked, or is not in this "
             "server's format or address."),
      needs=("hh_qr",))
def bad_token(case, params):
    token = case.token
    if token.status not in _BAD:
        return None
    zh, en = _BAD[token.status]
    return Hit({"token_status": token.status, "hh_qr": token.raw}, f"{zh}：{token.raw}", f"{en}: {token.raw}")


@rule("IDN-03", theme="identity", severity="review",
      title=("农户未分配给该调查员", "Household not assigned to this enumerator"),
      about=("扫描到的建档立卡户不在该调查员的户分配名单中（整村分配只用于非建档立卡户的漏评排查，"
             "不包括该村的建档立卡户；替补户在替补记录之后才算已分配）；"
             "或非建档立卡户所在村不在其排查分配中。",
             "The scanned registered household is not on this enumerator's household assignments "
             "(a village assignment is for screening the village's non-registered households, not its "
             "registered ones; a substitute counts as assigned once the substitution is recorded), or a "
             "non-registered household's village is not one the enumerator was assigned to screen."),
      needs=("hh_qr",))
def not_assigned(case, params):
    if case.enumerator is None:
        return Skip("the enumerator is not known")
    if case.household is None and case.not_registered:
        if case.assignment is not None:
            return None
        village = case.answer("village_code") or ""
        return Hit({"village_code": village, "enumerator": case.enumerator.username, "screening": True},
                   f"调查员{case.enumerator.username}未被分配排查村{village}",
                   f"{case.enumerator.username} is not assigned to screen village {village}")
    if case.household is None:
        return Skip("the household is not identified (no valid QR)")
    if case.assignment is not None:
        return None
    return Hit({"household": case.household.archive_id, "enumerator": case.enumerator.username},
               f"农户{case.household.archive_id}未分配给调查员{case.enumerator.username}",
               f"Household {case.household.archive_id} is not assigned to {case.enumerator.username}")


@rule("IDN-04", registered=True, theme="identity", severity="review",
      title=("访谈地点不在农户所在村", "Interview located in another village"),
      about=("访谈定位离另一个村的中心（该村登记农户位置的平均值）明显比离本户所在村的中心更近。",
             "The interview's GPS is clearly nearer the centre of another village (the mean registered "
             "location of its households) than the centre of the household's village."),
      needs=("hh_qr", "gps"),
      params=(Param("margin_km", 1.0, "how much nearer the other village must be",
                    about_zh="另一个村须近多少", minimum=0,
                    maximum=50, unit="km"),))
def other_village(case, params):
    if case.household is None:
        return Skip("the household is not identified (no valid QR)")
    point = point_of(case.answer("gps"))
    if point is None:
        return Skip("no valid GPS fix")
    own_code = case.household.place.village_code
    centres = {v.code: v for v in case.villages}
    if own_code not in centres:
        return Skip("the household's village has no registered location")
    own = round(distance_km(point, centres[own_code].point), 3)
    nearest = min(case.villages, key=lambda v: (distance_km(point, v.point), v.code))
    other = round(distance_km(point, nearest.point), 3)
    if nearest.code == own_code or own - other <= params["margin_km"]:
        return None
    return Hit({"household_village": own_code, "nearest_village": nearest.code, "distance_own_km": own,
                "distance_nearest_km": other, "margin_km": params["margin_km"]},
               f"定位在{nearest.name}附近（{fmt(other)}公里），距本户所在村中心{fmt(own)}公里",
               f"GPS near {nearest.name} ({fmt(other)} km), "
               f"{fmt(own)} km from the household's village centre")


@rule("IDN-05", answers=True, registered=True, theme="identity", severity="review",
      title=("同一农户被重复访问", "Household interviewed twice"),
      about=("同一农户（按明白卡识别）在本评估中还有另一份有效访谈。",
             "The same household (identified by its card) has another current interview in this evaluation."),
      needs=("hh_qr",))
def interviewed_twice(case, params):
    if case.household is None:
        return Skip("the household is not identified (no valid QR)")
    others = sorted(i.instance_id for i in case.same_household)
    if not others:
        return None
    return Hit({"household": case.household.archive_id, "other_interviews": others},
               f"农户{case.household.archive_id}另有{len(others)}份访谈",
               f"Household {case.household.archive_id} has {len(others)} other interview(s)")

"""Presence rules on the GPS fix: missing, inaccurate, far from the dwelling, impossible travel.

A fix of 0,0 counts as missing (phones write it when they have none). Distances are haversine,
compared at metre precision, limits inclusive (exactly 2.000 km passes).
"""
from server.recusal.measure import distance_km, fmt, minutes_between, parse_time, point_of
from server.recusal.rulebase import Hit, Param, Skip, rule


@rule("GPS-01", theme="presence", severity="review",
      title=("缺少定位", "GPS missing"),
      about=("访谈没有有效定位（未定位或定位为0,0）。", "The interview has no valid GPS fix (none, or 0,0)."),
      needs=("gps",))
def gps_missing(case, params):
    raw = case.answer("gps")
    if point_of(raw) is not None:
        return None
    return Hit({"gps": raw}, "访谈没有有效定位" + ("（0,0）" if raw else ""),
               "No valid GPS fix" + (" (0,0 or out of range)" if raw else ""))


@rule("GPS-02", theme="presence", severity="review",
      title=("定位精度不足", "GPS too inaccurate"),
      about=("定位的精度半径大于上限。", "The GPS fix's accuracy radius is above the limit."),
      needs=("gps",),
      params=(Param("max_accuracy_m", 50, "largest acceptable accuracy radius",
                    about_zh="可接受的最大定位精度半径", minimum=1, maximum=5000,
                    unit="m"),))
def gps_inaccurate(case, params):
    point = point_of(case.answer("gps"))
    if point is None:
        return Skip("no valid GPS fix")
    if point.accuracy is None:
        return Skip("the GPS fix has no accuracy")
    if point.accuracy <= params["max_accuracy_m"]:
        return None
    return Hit({"accuracy_m": point.accuracy, "limit_m": params["max_accuracy_m"]},
               f"定位精度{fmt(point.accuracy)}米，上限{fmt(params['max_accuracy_m'])}米",
               f"GPS accuracy {fmt(point.accuracy)} m, limit {fmt(params['max_accuracy_m'])} m")


@rule("GPS-03", registered=True, theme="presence", severity="review",
      title=("定位离登记住址过远", "GPS far from the registered dwelling"),
      about=("访谈定位与档案中登记的住房位置的距离超过上限。", "The interview's GPS is farther from the "
             "dwelling's registered location than the limit."),
      needs=("gps", "hh_qr"),
      params=(Param("max_km", 2.0, "largest distance from the registered dwelling",
                    about_zh="与登记住址的最大距离", minimum=0, maximum=500,
                    unit="km"),))
def gps_far(case, params):
    point = point_of(case.answer("gps"))
    if point is None:
        return Skip("no valid GPS fix")
    if case.household is None:
        return Skip("the household is not identified (no valid QR)")
    if case.household.location is None:
        return Skip("the household has no registered location")
    km = round(distance_km(point, case.household.location), 3)
    if km <= params["max_km"]:
        return None
    return Hit({"distance_km": km, "limit_km": params["max_km"]},
               f"定位距登记住址{fmt(km)}公里，上限{fmt(params['max_km'])}公里",
               f"GPS {fmt(km)} km from the registered dwelling, limit {fmt(params['max_km'])} km")


@rule("GPS-04", theme="presence", severity="review",
      title=("相邻两次访谈间移动速度不合理", "Implausible travel between interviews"),
      about=("同一调查员前后两次访谈之间的距离除以间隔时间，速度超过上限（时间重叠也算）。",
             "The distance between two consecutive interviews of the enumerator, divided by the time "
             "between them, is above the speed limit (overlapping interviews count too)."),
      needs=("gps", "start", "end"),
      params=(Param("max_kmh", 60.0, "fastest plausible travel",
                    about_zh="合理的最快移动速度", minimum=1, maximum=1000, unit="km/h"),
              Param("min_km", 0.5, "shorter moves are never flagged (GPS jitter)",
                    about_zh="更短的移动不标记（定位漂移）", minimum=0, maximum=50,
                    unit="km")))
def travel_speed(case, params):
    point, start = point_of(case.answer("gps")), parse_time(case.answer("start"))
    end = parse_time(case.answer("end"))
    if point is None or start is None or end is None:
        return Skip("no valid GPS fix, start or end")
    legs = [leg for other in _neighbours(case.same_day, start)
            if (leg := _leg(point, start, end, other, params))]
    if not legs:
        return None
    worst = max(legs, key=lambda leg: leg["kmh"])
    return Hit({"legs": legs, "limit_kmh": params["max_kmh"]},
               f"与访谈{worst['other']}相距{fmt(worst['km'])}公里，间隔{fmt(worst['minutes'])}分钟"
               f"（{fmt(worst['kmh'])}公里/小时，上限{fmt(params['max_kmh'])}）",
               f"{fmt(worst['km'])} km from interview {worst['other']} in {fmt(worst['minutes'])} min "
               f"({fmt(worst['kmh'])} km/h, limit {fmt(params['max_kmh'])})")


def _neighbours(others, start):
    """The enumerator's interview just before this one and the one just after (by start time)."""
    timed = sorted((o for o in others if o.start is not None), key=lambda o: (o.start, o.instance_id))
    before = [o for o in timed if o.start <= start]
    after = [o for o in timed if o.start > start]
    return before[-1:] + after[:1]


def _leg(point, start, end, other, params):
    """The move between this interview and `other` if it is too fast, else None."""
    if other.point is None or other.start is None or other.end is None:
        return None
    km = round(distance_km(point, other.point), 3)
    if km <= params["min_km"]:
        return None
    gap = minutes_between(other.end, start) if other.start <= start else minutes_between(end, other.start)
    kmh = round(km / (gap / 60), 1) if gap > 0 else float("inf")
    if kmh <= params["max_kmh"]:
        return None
    return {"other": other.instance_id, "km": km, "minutes": round(gap, 1),
            "kmh": kmh if kmh != float("inf") else 99999.0}

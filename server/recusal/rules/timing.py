"""Presence and time rules: how long the interview took, at what hour, how many in a day.

Times are compared in China time whatever offset the phone wrote; limits are inclusive (exactly
15:00 minutes, or 22:00:00, passes).
"""
from server.recusal.measure import china, fmt, minutes_between, parse_clock, parse_time
from server.recusal.rulebase import Hit, Param, Skip, rule


def _times(case):
    start, end = parse_time(case.answer("start")), parse_time(case.answer("end"))
    if start is None or end is None:
        return None, None, Skip("start or end time missing or unreadable")
    return start, end, None


@rule("TIM-01", answers=True, theme="time", severity="review",
      title=("访谈时间过短", "Interview too short"),
      about=("开始到结束的时长短于下限（结束早于开始也算）。", "The time from start to end is below the "
             "minimum (an end before the start counts too)."),
      needs=("start", "end"),
      params=(Param("min_minutes", 15, "shortest acceptable interview",
                    about_zh="可接受的最短访谈时长", minimum=0, maximum=600,
                    unit="min"),))
def too_short(case, params):
    start, end, skip = _times(case)
    if skip:
        return skip
    minutes = round(minutes_between(start, end), 2)
    if minutes >= params["min_minutes"]:
        return None
    return Hit({"minutes": minutes, "limit_minutes": params["min_minutes"]},
               f"访谈仅{fmt(minutes)}分钟，下限{fmt(params['min_minutes'])}分钟",
               f"Interview took {fmt(minutes)} min, minimum {fmt(params['min_minutes'])} min")


@rule("TIM-02", answers=True, theme="time", severity="review",
      title=("访谈时间过长", "Interview too long"),
      about=("开始到结束的时长超过上限，可能中断后补录。", "The time from start to end is above the maximum; "
             "the form may have been completed later."),
      needs=("start", "end"),
      params=(Param("max_minutes", 120, "longest acceptable interview",
                    about_zh="可接受的最长访谈时长", minimum=1, maximum=1440,
                    unit="min"),))
def too_long(case, params):
    start, end, skip = _times(case)
    if skip:
        return skip
    minutes = round(minutes_between(start, end), 2)
    if minutes <= params["max_minutes"]:
        return None
    return Hit({"minutes": minutes, "limit_minutes": params["max_minutes"]},
               f"访谈用时{fmt(minutes)}分钟，上限{fmt(params['max_minutes'])}分钟",
               f"Interview took {fmt(minutes)} min, maximum {fmt(params['max_minutes'])} min")


@rule("TIM-03", theme="time", severity="review",
      title=("访谈不在允许时段内", "Interview outside allowed hours"),
      about=("访谈的开始或结束时间（北京时间）不在允许时段内。", "The interview started or ended outside the "
             "allowed hours (China time)."),
      needs=("start",),
      params=(Param("earliest", "06:00", "earliest allowed time, China time",
                    about_zh="允许的最早时间（北京时间）", kind="str"),
              Param("latest", "22:00", "latest allowed time, China time",
                    about_zh="允许的最晚时间（北京时间）", kind="str")))
def outside_hours(case, params):
    start = parse_time(case.answer("start"))
    if start is None:
        return Skip("start time missing or unreadable")
    earliest, latest = parse_clock(params["earliest"]), parse_clock(params["latest"])
    moments = {"start": start, "end": parse_time(case.answer("end")) if case.has("end") else None}
    outside = {name: china(m).strftime("%H:%M:%S") for name, m in moments.items()
               if m is not None and not earliest <= china(m).time().replace(tzinfo=None) <= latest}
    if not outside:
        return None
    when = ", ".join(f"{k} {v}" for k, v in outside.items())
    return Hit({"china_time": outside, "earliest": params["earliest"], "latest": params["latest"]},
               f"访谈时间（北京时间）{when}，允许时段{params['earliest']}–{params['latest']}",
               f"Interview at {when} China time, allowed {params['earliest']}–{params['latest']}")


@rule("TIM-04", theme="time", severity="review",
      title=("一天内访谈数量过多", "Too many interviews in a day"),
      about=("同一调查员在同一天（北京时间）完成的访谈数超过上限。", "The enumerator has more interviews on "
             "this day (China time) than the limit."),
      needs=("start",),
      params=(Param("max_per_day", 10, "most interviews per enumerator per day",
                    about_zh="每名调查员每天最多的访谈数", kind="int", minimum=1,
                    maximum=200),))
def too_many_per_day(case, params):
    start = parse_time(case.answer("start"))
    if start is None:
        return Skip("start time missing or unreadable")
    if case.enumerator is None:
        return Skip("the enumerator is not known")
    count = 1 + len(case.same_day)
    if count <= params["max_per_day"]:
        return None
    day = china(start).date().isoformat()
    return Hit({"day": day, "interviews": count, "limit": params["max_per_day"]},
               f"{day}共{count}份访谈，上限{params['max_per_day']}份",
               f"{count} interviews on {day}, limit {params['max_per_day']}")

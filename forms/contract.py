"""The form contract: which answers the recusal rules and reconciliation read, and how a form
declares them (forms/CONTRACT.md is the questionnaire author's version of this module).

Convention: each item has a canonical key, and a form satisfies it with a field *named* like
the key (`hh_qr`, `present`, `gps`, ...). A per-form field map {key: name or /path} overrides
the convention. `resolve` reports, per key, the field found, and per check whether the form
supports it. The choice values below are what the rules compare answers against.
"""

from __future__ import annotations


from forms.contract_report import CheckStatus, ContractReport, Key, Resolved, resolve_key
from forms.errors import form_error
from forms.model import CompiledForm

# --- choice values the rules rely on -------------------------------------------------------
YES, NO = "yes", "no"
YES_NO = (YES, NO)

CARD_SCANNED = "has_card"                   # 明白卡 present, QR scanned into hh_qr
CARD_UNREADABLE = "card_unreadable"         # card present, QR damaged
CARD_NONE = "no_card"                       # registered, but no card at home
CARD_NOT_REGISTERED = "not_registered"      # 非建档立卡: the 漏评 screening path
CARD_STATUS = (CARD_SCANNED, CARD_UNREADABLE, CARD_NONE, CARD_NOT_REGISTERED)
NO_CARD = (CARD_NONE, CARD_NOT_REGISTERED)

PRESENT_RESPONDENT = "respondent"
PRESENT_MEMBER = "hh_member"                # other household members
PRESENT_NEIGHBOUR = "neighbour"
PRESENT_VILLAGE_CADRE = "village_cadre"     # 村干部
PRESENT_TOWNSHIP_CADRE = "township_cadre"   # 乡镇干部
PRESENT_HELPER = "helper"                   # 帮扶责任人
PRESENT_WORK_TEAM = "work_team"             # 驻村工作队
PRESENT_OTHER = "other"
PRESENT = (PRESENT_RESPONDENT, PRESENT_MEMBER, PRESENT_NEIGHBOUR, PRESENT_VILLAGE_CADRE,
           PRESENT_TOWNSHIP_CADRE, PRESENT_HELPER, PRESENT_WORK_TEAM, PRESENT_OTHER)
# Any of these in the room contaminates the interview (清场 rule, evaluation.md §3.1).
PRESENT_OFFICIALS = (PRESENT_VILLAGE_CADRE, PRESENT_TOWNSHIP_CADRE, PRESENT_HELPER, PRESENT_WORK_TEAM)

RELATION_NONE = "none"                      # enumerator declares no relation to the household
RELATION = (RELATION_NONE, "relative", "same_village", "acquaintance", "other")

HH_EXITED = "exited"                        # 脱贫户
HH_POOR = "poor"                            # 未脱贫贫困户
HH_NON_REGISTERED = "non_registered"        # 非建档立卡户
HH_TYPE = (HH_EXITED, HH_POOR, HH_NON_REGISTERED)

# 5 = 非常满意 ... 1 = 非常不满意; 'unknown' = 不了解. 认可 defaults to 4 or 5 (evaluation.md §1.4).
SATISFACTION = ("5", "4", "3", "2", "1", "unknown")
SATISFIED = ("5", "4")
DISSATISFIED = ("2", "1")                   # these answers must come with a reason
ENDORSE = (YES, NO, "unsure")               # F1/F2: 认可 / 不认可 / 说不清

INCOME_BANDS = ("lt3000", "3000_4000", "4000_6000", "6000_10000", "gt10000", "unknown")
WATER_SOURCE = ("tap", "deep_well", "shallow_well", "cistern", "river_pond", "rain", "other")
WATER_QUANTITY = ("enough", "seasonal_short", "often_short")
INSURANCE = ("all", "partial", "none")      # D3 基本医疗保险
HOUSE_SAFETY = ("grade_a", "grade_b", "grade_c", "grade_d", "not_assessed", "unknown")
HOUSE_UNSAFE = ("grade_c", "grade_d")       # 危房 C/D 级
ASSISTANCE_NONE = "none"
JUDGEMENT = ("none", "wrongly_registered", "missed", "wrongly_exited", "other")
# Why a visit gave no interview (consent = no): declined, nobody at home, could not be reached.
REFUSAL_REASONS = ("declined", "nobody_home", "unreachable", "other")


# --- canonical keys ------------------------------------------------------------------------
_SEL, _NUM, _TXT = ("select_one",), ("integer", "decimal"), ("text",)


def _keys(*specs: tuple) -> dict[str, Key]:
    return {spec[0]: Key(*spec) for spec in specs}


KEYS: dict[str, Key] = _keys(
    ("start", ("start",), "interview start time"),
    ("end", ("end",), "interview end time"),
    ("deviceid", ("deviceid",), "device id"),
    ("enumerator", ("username", "text", "select_one", "calculate"), "enumerator id"),
    ("partner", ("text", "select_one", "barcode"), "second enumerator of the pair"),
    ("gps", ("geopoint",), "GPS fix at the interview"),
    ("hh_qr", ("barcode", "text"), "scanned 明白卡 QR: token or <PUBLIC_URL>/h/<token>"),
    ("card_status", _SEL, "card scanned / unreadable / no card / not registered", CARD_STATUS),
    ("hh_pick", ("select_one", "text"), "household chosen from the assigned list (no readable card)"),
    ("village_code", _TXT, "12-digit village code (cover page)"),
    ("consent", _SEL, "respondent consents", YES_NO),
    ("refuse_reason", _SEL, "why the visit gave no interview", REFUSAL_REASONS),
    ("present", ("select_multiple",), "persons present at the interview", PRESENT),
    ("enum_relation", _SEL, "enumerator's declared relation to the household", (RELATION_NONE,)),
    ("head_present", _SEL, "head of household present", YES_NO),
    ("hh_type", _SEL, "脱贫户 / 未脱贫 / 非建档立卡", HH_TYPE),
    ("reg_year", ("select_one", "integer"), "建档立卡 year (A4)"),
    ("hh_size", ("integer",), "户籍人口 (A2)"),
    ("hh_resident", ("integer",), "常住人口 (A2)"),
    ("members", ("repeat",), "household members (repeat)"),
    *((f"b{i}", _NUM, f"income item B{i}") for i in range(1, 8)),
    ("b8", ("select_one", "integer", "decimal"), "per-capita net income estimate", INCOME_BANDS),
    ("pc_income", ("calculate", "decimal"), "computed per-capita net income"),
    ("a8", _SEL, "knows the assigned helper", YES_NO),
    *((f"a{i}", _SEL, f"错评 screen A{i}", YES_NO) for i in range(9, 14)),
    ("c1", _SEL, "food secured", YES_NO),
    ("c3", _SEL, "clothing for all seasons", YES_NO),
    ("c4", _SEL, "water source", WATER_SOURCE),
    ("c5", _SEL, "water quantity", WATER_QUANTITY),
    ("c7", _SEL, "fetching water is hard (>20 min)", YES_NO),
    ("d2", _SEL, "compulsory-school child dropped out", YES_NO),
    ("d3", _SEL, "basic medical insurance", INSURANCE),
    ("d10", _SEL, "housing safety assessment", HOUSE_SAFETY),
    ("d12", _SEL, "enumerator sees cracks / leaks / collapse risk", YES_NO),
    ("e1", ("select_multiple",), "assistance received", (ASSISTANCE_NONE,)),
    ("f1", _SEL, "endorses the identification result", ENDORSE),
    ("f2", _SEL, "endorses the household's exit", ENDORSE),
    *((f"f{i}", _SEL, f"satisfaction F{i}", SATISFACTION) for i in range(3, 6)),
    ("judgement", _SEL, "enumerator's own judgement", JUDGEMENT),
    ("photo_house", ("image",), "photo: house exterior"),
    ("photo_inside", ("image",), "photo: interior"),
    ("photo_sign", ("image",), "signature or thumbprint"),
    ("audio", ("audio",), "consented audio recording"),
)

# --- checks and the keys each one needs ----------------------------------------------------
INCOME = tuple(f"b{i}" for i in range(1, 9)) + ("hh_size",)
ASSURANCES = ("c1", "c3", "c4", "c5", "c7", "d2", "d3", "d10", "d12")

CHECKS: dict[str, tuple[str, ...]] = {
    "identity.qr": ("hh_qr", "card_status"),
    "recusal.present_official": ("present",),
    "recusal.enumerator_locality": ("hh_qr",),
    "recusal.declared_relation": ("enum_relation",),
    "team.pair": ("enumerator", "partner"),
    "time.duration": ("start", "end"),
    "time.hours": ("start",),
    "gps.distance": ("gps",),
    "gps.travel_speed": ("gps", "start", "deviceid"),
    "consent": ("consent",),
    "photos": ("photo_house", "photo_inside", "photo_sign"),
    "audio": ("audio",),
    "reconcile.household": ("hh_qr", "card_status", "hh_type", "hh_size", "hh_resident", "members"),
    "reconcile.income": INCOME,
    "reconcile.two_assurances": ASSURANCES,
    "classify.wrongly_registered": ("hh_type", "a9", "a10", "a11", "a12", "a13"),
    "classify.missed": ("card_status", "hh_type") + INCOME + ASSURANCES,
    "classify.wrongly_exited": ("hh_type",) + INCOME + ASSURANCES,
    "helper.known": ("a8",),
    "assistance": ("e1",),
    "endorsement": ("f1", "f2", "f3", "f4", "f5"),
    "satisfaction": ("f3", "f4", "f5"),
    "review.judgement": ("judgement",),
    "backcheck.compare": ("hh_type", "reg_year", "head_present", "hh_size", "hh_resident", "b8", "f3", "f4"),
}


# What each check is, for people choosing a form: (Chinese, English).
CHECK_TITLES: dict[str, tuple[str, str]] = {
    "identity.qr": ("凭明白卡二维码识别农户", "identify the household by its card's QR code"),
    "recusal.present_official": ("干部、帮扶人在场须回避", "officials or helpers present at the interview"),
    "recusal.enumerator_locality": ("调查员不得访问本地农户", "enumerator working in their own locality"),
    "recusal.declared_relation": ("调查员声明与农户的关系", "enumerator's declared relation to the household"),
    "team.pair": ("两人一组入户", "interviews done in pairs"),
    "time.duration": ("访谈时长", "interview duration"),
    "time.hours": ("访谈时段", "time of day of the interview"),
    "gps.distance": ("定位与农户住址的距离", "GPS distance from the dwelling"),
    "gps.travel_speed": ("两次访谈之间的移动速度", "travel speed between interviews"),
    "consent": ("知情同意", "consent"),
    "photos": ("照片", "photos"),
    "audio": ("录音", "audio recording"),
    "reconcile.household": ("家庭信息与档案核对", "household facts against the register"),
    "reconcile.income": ("收入与档案核对", "income against the register"),
    "reconcile.two_assurances": ("“两不愁三保障”与档案核对", "two assurances and three guarantees against the register"),
    "classify.wrongly_registered": ("错评判定", "wrongly registered households"),
    "classify.missed": ("漏评判定", "missed households"),
    "classify.wrongly_exited": ("错退判定", "wrongly exited households"),
    "helper.known": ("知晓帮扶责任人", "knows the assigned helper"),
    "assistance": ("帮扶措施", "assistance received"),
    "endorsement": ("群众认可度", "endorsement"),
    "satisfaction": ("满意度", "satisfaction"),
    "review.judgement": ("调查员的判断", "enumerator's own judgement"),
    "backcheck.compare": ("回访比对", "back-check comparison"),
}


def check_kind(code: str) -> str:
    """'reconciliation' (against the register, the classifications, back-checks), 'figures' (the answers
    the satisfaction and endorsement figures count), else 'rules' (recusal and quality)."""
    if code.startswith(("reconcile.", "classify.", "backcheck.", "review.")):
        return "reconciliation"
    return "figures" if code in ("helper.known", "assistance", "endorsement", "satisfaction") else "rules"


def resolve(compiled: CompiledForm, field_map: dict[str, str] | None = None,
            lang: str = "zh") -> ContractReport:
    """Resolve every canonical key in `compiled`, then say which checks it supports.

    `field_map` maps canonical keys to a field name or an instance path (starting with
    '/'); unknown keys raise FormError form.field_map_invalid.
    """
    field_map = dict(field_map or {})
    unknown = sorted(set(field_map) - set(KEYS))
    if unknown:
        raise form_error("form.field_map_invalid", lang, keys=", ".join(unknown))
    keys = {k: resolve_key(compiled, spec, field_map.get(k, k), lang) for k, spec in KEYS.items()}
    checks = tuple(_check(code, needed, keys) for code, needed in CHECKS.items())
    return ContractReport(keys=keys, checks=checks)


def _check(code: str, needed: tuple[str, ...], keys: dict[str, Resolved]) -> CheckStatus:
    failed = tuple(k for k in needed if keys[k].problem)
    return CheckStatus(code=code, supported=not failed, needs=needed, missing=failed,
                       reasons=tuple(keys[k].reason for k in failed))

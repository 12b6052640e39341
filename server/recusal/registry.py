"""The registry: every rule, in a fixed order. Explicit on purpose: greppable, no import-time magic."""
from server.recusal.rules import backcheck, cadre, evidence, fabrication, identity, location, timing

RULES = (
    cadre.official_present, cadre.enumerator_locality, cadre.enumerator_is_helper,
    cadre.declared_relation,
    identity.qr_missing, identity.bad_token, identity.not_assigned, identity.other_village,
    identity.interviewed_twice,
    timing.too_short, timing.too_long, timing.outside_hours, timing.too_many_per_day,
    location.gps_missing, location.gps_inaccurate, location.gps_far, location.travel_speed,
    fabrication.identical_answers, fabrication.straight_lining, fabrication.round_incomes,
    fabrication.same_point,
    evidence.photos_missing, evidence.answers_without_consent,
    backcheck.backcheck_outside_draw,
)
BY_CODE = {r.code: r for r in RULES}


def rule_for(code):
    return BY_CODE.get(code)

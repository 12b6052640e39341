"""Property tests for the engine: rules are pure, order does not matter, codes are unique, and a
rule never passes silently on data it cannot read."""
import re
from dataclasses import replace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.recusal.engine import evaluate
from server.recusal.registry import RULES
from server.recusal.settings import DEFAULTS
from tests.unit.recusal.cases import ALL_FIELDS, answers, case, other

KEYS = sorted(ALL_FIELDS)
values = st.one_of(st.none(), st.text(max_size=8), st.integers(-10, 100000), st.floats(allow_nan=False),
                   st.lists(st.sampled_from(["respondent", "village_cadre", "helper", "other"]), max_size=3),
                   st.fixed_dictionaries({"lat": st.floats(-90, 90), "lon": st.floats(-180, 180),
                                          "accuracy": st.floats(0, 500)}),
                   st.sampled_from(["2025-05-01T09:00:00+08:00", "2025-05-01T01:00:00Z", "yes", "no",
                                    "none"]))


@st.composite
def cases(draw):
    changed = draw(st.dictionaries(st.sampled_from(KEYS), values, max_size=12))
    dropped = draw(st.sets(st.sampled_from(KEYS), max_size=5))
    fields = {k: (None if k in dropped else v) for k, v in ALL_FIELDS.items()}
    day = tuple(other(i, "2025-05-01T01:00:00Z", "2025-05-01T01:30:00Z", lat=47 + i / 100)
                for i in range(draw(st.integers(0, 12))))
    return case(fields=fields, answers=answers(**changed), same_day=day,
                household=draw(st.sampled_from([case().household, None])))


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_the_same_case_gives_the_same_findings(the_case):
    assert evaluate(the_case, RULES, DEFAULTS) == evaluate(the_case, RULES, DEFAULTS)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(cases(), st.randoms(use_true_random=False))
def test_the_order_of_the_rules_does_not_matter(the_case, rnd):
    shuffled = list(RULES)
    rnd.shuffle(shuffled)
    assert evaluate(the_case, tuple(shuffled), DEFAULTS) == evaluate(the_case, RULES, DEFAULTS)


@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_every_finding_is_found_or_could_not_run_with_a_reason(the_case):
    for finding in evaluate(the_case, RULES, DEFAULTS):
        assert finding.outcome in ("found", "could_not_run", "not_applicable")
        assert finding.reason if finding.outcome != "found" else finding.message_en


@given(st.sets(st.sampled_from([r.code for r in RULES]), min_size=1))
def test_a_form_without_a_rules_fields_never_passes_that_rule(codes):
    needed = {k for r in RULES if r.code in codes for k in r.info.needs}
    the_case = case(fields={k: (None if k in needed else v) for k, v in ALL_FIELDS.items()})
    outcomes = {f.code: f.outcome for f in evaluate(the_case, RULES, DEFAULTS)}
    for rule in RULES:
        if rule.code in codes and rule.info.needs:
            assert outcomes[rule.code] == "could_not_run"


def test_codes_are_unique_and_well_formed():
    codes = [r.code for r in RULES]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"(REC|IDN|TIM|GPS|FAB|EVD|BCK)-\d\d", c) for c in codes)


def test_every_rule_explains_itself_in_both_languages():
    for rule in RULES:
        info = rule.info
        assert info.title_zh and info.title_en and info.about_zh and info.about_en
        assert info.severity == ("exclude" if info.theme == "recusal" else "review")


def test_rules_do_not_touch_the_case():
    the_case = case(answers=answers(present=["helper"]))
    before = repr(the_case)
    evaluate(the_case, RULES, DEFAULTS)
    assert repr(the_case) == before


def test_disabled_rules_do_not_run():
    off = replace(DEFAULTS, rules=tuple(replace(r, enabled=r.code != "REC-01") for r in DEFAULTS.rules))
    assert "REC-01" not in {f.code for f in evaluate(case(answers=answers(present=["helper"])), RULES, off)}

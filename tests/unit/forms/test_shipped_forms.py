"""The shipped questionnaires compile (with ODK Validate), match their .xlsx, and meet the contract."""

from __future__ import annotations

import pytest

import forms
from forms import contract
from forms.xlsform import build
from tests.unit.forms.helpers import NS, SHIPPED, parse

NAMES = ("household_interview", "backcheck")

# The back-check is deliberately short: these are the checks it exists to serve.
BACKCHECK_CHECKS = {
    "identity.qr", "recusal.present_official", "recusal.enumerator_locality",
    "recusal.declared_relation", "team.pair", "time.duration", "time.hours",
    "gps.distance", "gps.travel_speed", "consent", "backcheck.compare",
}


@pytest.fixture(scope="module")
def shipped():
    """Both Markdown sources compiled once, with ODK Validate."""
    return {name: forms.compile_xlsform(SHIPPED / f"{name}.md") for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_compiles_cleanly_in_chinese_and_english(shipped, name):
    compiled = shipped[name]
    assert compiled.form_id == f"fc_{name}"
    assert compiled.version
    assert compiled.languages == ("zh", "en")
    assert compiled.warnings == ()
    # The interview reads the enumerator's register (made by the server per phone); nothing else.
    assert compiled.media == (("fc_households.csv",) if name == "household_interview" else ())
    default = parse(compiled.xml).find(".//xf:translation[@default='true()']", NS)
    assert default.get("lang") == "中文 (zh)"


@pytest.mark.parametrize("name", NAMES)
def test_committed_xlsx_matches_the_markdown_source(shipped, name):
    from_xlsx = forms.compile_xlsform(SHIPPED / f"{name}.xlsx", validate=False)
    assert from_xlsx.md5 == shipped[name].md5, "run: python forms/xlsform/build.py"


def test_build_script_reproduces_the_xlsx(shipped, tmp_path):
    out = build.build(SHIPPED / "backcheck.md", tmp_path)
    assert forms.compile_xlsform(out, validate=False).md5 == shipped["backcheck"].md5


def test_household_interview_supports_every_check(shipped):
    report = contract.resolve(shipped["household_interview"], lang="en")
    assert report.unsupported == {}
    assert set(report.supported) == set(contract.CHECKS)


def test_backcheck_supports_its_checks_and_names_what_it_lacks(shipped):
    report = contract.resolve(shipped["backcheck"], lang="en")
    assert set(report.supported) == BACKCHECK_CHECKS
    assert any("photo_inside" in reason for reason in report.unsupported["photos"])


@pytest.mark.parametrize("name", NAMES)
def test_choice_values_the_rules_rely_on(shipped, name):
    compiled = shipped[name]
    values = {f.name: set(f.choice_values()) for f in compiled.fields}
    assert set(contract.PRESENT) <= values["present"]
    assert set(contract.PRESENT_OFFICIALS) <= values["present"]
    assert set(contract.CARD_STATUS) <= values["card_status"]
    assert set(contract.YES_NO) <= values["consent"]
    assert set(contract.HH_TYPE) <= values["hh_type"]
    assert contract.RELATION_NONE in values["enum_relation"]
    assert set(contract.SATISFACTION) <= values["f3"]
    assert set(contract.SATISFACTION) <= values["f4"]


def test_household_interview_structure(shipped):
    compiled = shipped["household_interview"]
    by_name = {f.name: f for f in compiled.fields}
    assert by_name["hh_qr"].type == "barcode"
    assert by_name["gps"].type == "geopoint"
    assert by_name["present"].type == "select_multiple"
    assert by_name["member_name"].repeat == "/data/household/members"
    assert by_name["pc_income"].type == "calculate"
    assert {by_name[n].type for n in ("photo_house", "photo_inside", "photo_sign")} == {"image"}
    assert by_name["audio"].type == "audio"
    # No identity-card numbers are collected (evaluation.md §2.2 keeps them out of the field form).
    assert not [f for f in compiled.fields if "id_number" in f.name or "idcard" in f.name]


def test_refusal_ends_the_interview(shipped):
    doc = parse(shipped["household_interview"].xml)
    relevant = {b.get("nodeset"): b.get("relevant") for b in doc.iterfind(".//xf:bind", NS)}
    gated = ["recusal", "household", "income", "two_worries", "three_assurances",
             "assistance", "endorsement", "close"]
    for group in gated:
        assert relevant[f"/data/{group}"].split() == ["/data/consent_grp/consent", "=", "'yes'"]


def test_instance_name_and_instance_id(shipped):
    doc = parse(shipped["household_interview"].xml)
    binds = {b.get("nodeset"): b for b in doc.iterfind(".//xf:bind", NS)}
    assert "concat(" in binds["/data/meta/instanceName"].get("calculate")
    assert binds["/data/meta/instanceID"] is not None

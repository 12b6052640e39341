"""The form contract: naming convention, field maps, and which checks a form supports."""

from __future__ import annotations

import pytest

import forms
from forms import contract
from tests.unit.forms.helpers import REPO, survey_xlsx

PRESENT_CHOICES = [["present", v, v] for v in contract.PRESENT]


def compiled(*rows, choices=()):
    choice_sheet = [["list_name", "name", "label"], *choices] if choices else None
    extra = {"choices": choice_sheet} if choice_sheet else {}
    return forms.compile_xlsform(survey_xlsx(*rows, **extra), "c.xlsx", validate=False)


def check(report, code):
    return next(c for c in report.checks if c.code == code)


def test_checks_only_use_known_keys():
    for code, keys in contract.CHECKS.items():
        assert set(keys) <= set(contract.KEYS), code
    for key in contract.KEYS.values():
        assert len(set(key.values)) == len(key.values)


def test_convention_resolves_fields_by_name():
    form = compiled(["start", "start", ""], ["end", "end", ""],
                    ["select_multiple present", "present", "Who?"], choices=PRESENT_CHOICES)
    report = contract.resolve(form)
    assert report.path("present") == "/data/present"
    assert {"time.duration", "time.hours", "recusal.present_official"} <= set(report.supported)


def test_missing_fields_are_named_per_check():
    report = contract.resolve(compiled(["start", "start", ""]), lang="en")
    status = check(report, "time.duration")
    assert not status.supported and status.missing == ("end",)
    assert "'end'" in status.reasons[0]
    assert report.unsupported["time.duration"] == status.reasons
    assert report.path("end") is None


def test_field_map_by_name_and_by_path():
    form = compiled(["begin_group", "g", "G"], ["geopoint", "where", "Where?"], ["end_group", "", ""],
                    ["barcode", "card_code", "Scan"])
    report = contract.resolve(form, {"gps": "/data/g/where", "hh_qr": "card_code"})
    assert report.path("gps") == "/data/g/where"
    assert report.path("hh_qr") == "/data/card_code"
    assert "gps.distance" in report.supported and "recusal.enumerator_locality" in report.supported


def test_wrong_type_is_unsupported():
    report = contract.resolve(compiled(["text", "gps", "GPS"]), lang="en")
    assert report.keys["gps"].problem == "wrong_type"
    assert "geopoint" in report.unsupported["gps.distance"][0]


def test_missing_choice_value_makes_the_check_unsupported():
    choices = [row for row in PRESENT_CHOICES if row[1] != contract.PRESENT_HELPER]
    form = compiled(["select_multiple present", "present", "Who?"], choices=choices)
    report = contract.resolve(form, lang="en")
    assert report.keys["present"].problem == "missing_choices"
    assert "helper" in report.unsupported["recusal.present_official"][0]


def test_choices_from_a_file_cannot_be_verified():
    report = contract.resolve(compiled(["select_one_from_file yn.csv", "consent", "OK?"]), lang="en")
    assert report.keys["consent"].problem == "choices_external"
    assert "consent" in report.unsupported


def test_ambiguous_name_asks_for_a_path():
    form = compiled(["begin_group", "a", "A"], ["geopoint", "gps", "GPS"], ["end_group", "", ""],
                    ["begin_group", "b", "B"], ["geopoint", "gps", "GPS"], ["end_group", "", ""])
    assert contract.resolve(form).keys["gps"].problem == "ambiguous"
    assert contract.resolve(form, {"gps": "/data/b/gps"}).path("gps") == "/data/b/gps"


def test_repeat_key_resolves_to_the_repeat():
    form = compiled(["begin_repeat", "people", "People"], ["text", "nm", "Name"], ["end_repeat", "", ""])
    assert contract.resolve(form).keys["members"].problem == "missing"
    assert contract.resolve(form, {"members": "people"}).path("members") == "/data/people"


def test_unknown_field_map_key_is_an_error():
    with pytest.raises(forms.FormError) as info:
        contract.resolve(compiled(["text", "a", "A"]), {"hh_qrr": "a"}, lang="en")
    assert info.value.code == "form.field_map_invalid" and "hh_qrr" in info.value.message


def test_report_serialises():
    data = contract.resolve(compiled(["start", "start", ""])).to_dict()
    assert data["fields"]["start"] == "/data/start" and data["fields"]["end"] is None
    assert data["checks"]["time.hours"] == {"supported": True, "missing": [], "reasons": []}
    assert set(data["checks"]) == set(contract.CHECKS)


def test_contract_page_lists_every_key_and_check():
    page = (REPO / "forms" / "CONTRACT.md").read_text(encoding="utf-8")
    ranged = {f"b{i}" for i in range(2, 8)} | {f"a{i}" for i in range(10, 13)}
    for key in set(contract.KEYS) - ranged:  # b2..b7, a10..a12 appear as "b1 … b7" ranges
        assert f"`{key}`" in page, key
    for code in contract.CHECKS:
        assert f"`{code}`" in page, code

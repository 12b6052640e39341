"""Settings validation, status derivation and the snapshot helpers (QR parsing, field maps)."""
from types import SimpleNamespace

import pytest
from marshmallow import ValidationError

from server.recusal import settings, status
from server.recusal.snapshot import contract_fields, parse_qr


def test_settings_merge_over_defaults_and_take_the_recusal_level():
    stored = {"recusal_level": "township",
              "rules": settings.load({"rules": {"TIM-01": {"params": {"min_minutes": 20}},
                                                "FAB-02": {"enabled": False}}})}
    effective = settings.effective(stored)
    assert effective.of("TIM-01").params == {"min_minutes": 20}
    assert effective.of("FAB-02").enabled is False
    assert effective.of("REC-02").params["level"] == "township"
    assert effective.of("REC-01").severity == "exclude"


@pytest.mark.parametrize("body", [
    {"rules": {"NOPE-01": {}}},
    {"rules": {"TIM-01": {"params": {"min_minutes": -1}}}},
    {"rules": {"TIM-01": {"params": {"unknown": 1}}}},
    {"rules": {"TIM-03": {"params": {"latest": "25:00"}}}},
    {"rules": {"REC-01": {"severity": "fatal"}}},
    {"rules": {"REC-02": {"params": {"level": "street"}}}},
    {"could_not_run": "maybe"},
    {"other": 1},
])
def test_invalid_settings_are_refused(body):
    with pytest.raises(ValidationError):
        settings.load(body)


def f(code, outcome="found", severity="review"):
    return SimpleNamespace(code=code, outcome=outcome, severity=severity)


@pytest.mark.parametrize("findings, decision, expected", [
    ([], None, "clean"),
    ([f("TIM-01")], None, "review"),
    ([f("TIM-01"), f("REC-01", severity="exclude")], None, "excluded"),
    ([f("GPS-03", outcome="could_not_run")], None, "review"),
    ([f("GPS-03", severity="info")], None, "clean"),
    ([f("REC-01", severity="exclude")], SimpleNamespace(decision="clear", codes=["REC-01"]), "cleared"),
    ([f("TIM-01")], SimpleNamespace(decision="exclude", codes=["TIM-01"]), "excluded"),
    # A new problem since the decision lifts it.
    ([f("REC-01", severity="exclude"), f("GPS-03")], SimpleNamespace(decision="clear", codes=["REC-01"]),
     "excluded"),
])
def test_status(findings, decision, expected):
    assert status.status_of(findings, decision) == expected


def test_could_not_run_can_be_ignored():
    assert status.derived([f("GPS-03", outcome="could_not_run")], could_not_run="ignore") == "clean"


@pytest.mark.parametrize("raw, base, expected", [
    (None, "", ("absent", None)),
    ("abcDEF12_-", "", ("pending", "abcDEF12_-")),
    ("http://fieldcheck.test/h/abcDEF12_-", "http://fieldcheck.test", ("pending", "abcDEF12_-")),
    ("https://evil.example/h/abcDEF12_-", "http://fieldcheck.test", ("forged", "abcDEF12_-")),
    ("110101199003070011", "", ("pending", "110101199003070011")),
    ("<script>", "", ("forged", None)),
])
def test_qr_parsing(raw, base, expected):
    token = parse_qr(raw, base)
    assert (token.status, token.token) == expected


def test_the_form_field_map_overrides_the_contract():
    contract = {"fields": {"gps": "/data/cover/gps", "present": None}}
    fields = [{"name": "who_was_there", "path": "/data/r/who_was_there"}]
    resolved = contract_fields(contract, fields, {"present": "who_was_there", "gps": "/data/g2"})
    assert resolved == {"gps": "/data/g2", "present": "/data/r/who_was_there"}

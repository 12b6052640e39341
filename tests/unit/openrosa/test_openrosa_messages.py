"""The message catalogue: both languages for every code, and the language choice."""
import string

import pytest

from server.openrosa.messages import CATALOGUE, message, pick_language, status_for


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_every_code_has_both_languages_and_the_same_placeholders(code):
    status, en, zh = CATALOGUE[code]
    assert 200 <= status < 600 and en and zh
    names = lambda t: {f for _, f, _, _ in string.Formatter().parse(t) if f}  # noqa: E731
    assert names(en) == names(zh)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in zh)


def test_required_codes_exist():
    for code in ("submission.duplicate_conflict", "form.not_found", "form.version_not_found",
                 "form.closed", "submission.missing_xml", "submission.malformed_xml",
                 "submission.too_large", "auth.bad_token"):
        assert code in CATALOGUE
    assert status_for("auth.bad_token") == 403  # never 401: Collect would prompt
    assert status_for("submission.too_large") == 413
    assert status_for("nope") == 500


def test_message_fills_params_and_survives_missing_ones():
    assert "'hh'" in message("form.not_found", "en", form_id="hh")
    assert "“hh”" in message("form.not_found", "zh", form_id="hh")
    assert "{form_id}" in message("form.not_found", "en")
    assert message("unknown.code", "zh") == message("server.error", "zh")


@pytest.mark.parametrize("header,default,expected", [
    (None, "zh", "zh"),
    (None, "en", "en"),
    ("", "fr", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "en", "zh"),
    ("en-US,en;q=0.9", "zh", "en"),
    ("en;q=0.5, zh-Hans;q=0.8", "en", "zh"),
    ("zh;q=0, en", "zh", "en"),
    ("fr-FR", "zh", "zh"),
    ("zh_TW", "en", "zh"),
    ("en;q=abc, zh", "en", "zh"),
])
def test_pick_language(header, default, expected):
    assert pick_language(header, default) == expected

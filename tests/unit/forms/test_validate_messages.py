"""ODK Validate messages that forms/validate_messages.py has no pattern for: reported in Validate's own
English, said to be Validate's in the Chinese text too ("ODK Validate 报告：..."), located when they name
a survey row; and Validate's warnings on a valid form, in both languages the same way."""

from __future__ import annotations

import pytest

import forms
from forms import compile as compile_module
from forms.rows import RowIndex
from forms.validate_messages import locate, warning

SETTINGS = "| settings |\n| | form_id | version |\n| | v | 1 |\n"
EMPTY_GROUP = """| survey |
| | type | name | label |
| | text | a | A |
| | begin_group | g | 分组 |
| | end_group | | |
""" + SETTINGS
UNKNOWN_FUNCTION = """| survey |
| | type | name | label | calculation |
| | text | a | A | |
| | calculate | c | | foo(${a}) |
""" + SETTINGS
REPEAT_COUNT = """| survey |
| | type | name | label | repeat_count |
| | integer | n | N | |
| | begin_repeat | r | R | ${n} + ) |
| | text | t | T | |
| | end_repeat | | | |
""" + SETTINGS


def _refused(text, lang):
    with pytest.raises(forms.FormError) as info:
        forms.compile_xlsform(text.encode("utf-8"), "v.md", lang=lang)
    assert info.value.code == "form.validate_failed"
    return info.value


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unrecognised_message_from_a_real_validate_run_is_validates_in_both_languages(lang):
    err = _refused(EMPTY_GROUP, lang)
    (first,) = err.details
    original = "Group has no children! Group: ${g}. The XML is invalid."  # /data/g shown as ${g}
    assert first["code"] == "validate.error"
    assert first["text"] == {"zh": f"ODK Validate 报告：{original}", "en": f"ODK Validate: {original}"}
    assert (first["sheet"], first["row"]) == ("survey", 3)   # the begin_group row, found from /data/g.
    assert first["message"] == first["text"][lang] and first["message"] in err.message
    assert err.message.startswith("ODK Validate 检查未通过" if lang == "zh" else "ODK Validate rejected")


def test_an_unknown_function_keeps_validates_words_and_finds_its_row():
    err = _refused(UNKNOWN_FUNCTION, "zh")
    assert all(d["code"] == "validate.error" and d["message"].startswith("ODK Validate 报告：")
               for d in err.details)
    assert any("cannot handle function 'foo'" in d["message"] for d in err.details)
    assert err.details[0]["row"] == 3 and "${c}" in err.details[0]["message"]


def test_unbalanced_brackets_are_explained_in_chinese():
    zh = _refused(REPEAT_COUNT, "zh").details[0]
    assert zh["code"] == "expression.invalid"
    assert zh["text"]["zh"].endswith("（括号不配对）") and "Unbalanced" not in zh["text"]["zh"]
    assert zh["text"]["en"].endswith("(Unbalanced brackets or parentheses!)")


@pytest.mark.parametrize("message, row, zh", [
    ("Something unheard of at /data/a", 2, "ODK Validate 报告：Something unheard of at ${a}"),
    ("Something unheard of at /data/a.", 2, "ODK Validate 报告：Something unheard of at ${a}."),
    ("Something unheard of at /data/nowhere", None, "ODK Validate 报告：Something unheard of at /data/nowhere"),
    ("Nothing located\n  over two lines", None, "ODK Validate 报告：Nothing located over two lines"),
])
def test_generic_directly(message, row, zh):
    rows = RowIndex([{"type": "text", "name": "a", "label": "A"}], ["type", "name", "label"])
    found = locate(message, rows, "zh")
    assert (found["code"], found["row"], found["sheet"]) == ("validate.error", row, "survey" if row else None)
    assert found["message"] == found["text"]["zh"] == zh
    assert found["text"]["en"] == zh.replace("ODK Validate 报告：", "ODK Validate: ")


def test_a_validate_warning_is_said_to_be_validates_in_chinese():
    assert warning("ODK Validate: Odd thing", "zh") == {
        "code": "validate.warning", "sheet": None, "row": None, "column": None,
        "message": "ODK Validate 报告：Odd thing",
        "text": {"zh": "ODK Validate 报告：Odd thing", "en": "ODK Validate: Odd thing"}}


@pytest.mark.parametrize("lang, text", [("zh", "ODK Validate 报告：Odd thing"),
                                        ("en", "ODK Validate: Odd thing")])
def test_validate_warnings_reach_the_compiled_form_in_the_callers_language(monkeypatch, lang, text):
    # No form found so far makes this Validate (v1.20) warn and still pass; its warnings are stubbed.
    monkeypatch.setattr(compile_module, "odk_validate", lambda *a, **k: ("ODK Validate: Odd thing",))
    plain = "| survey |\n| | type | name | label |\n| | text | a | A |\n" + SETTINGS
    compiled = forms.compile_xlsform(plain.encode(), "w.md", lang=lang)
    assert compiled.warnings == (text,)
    (detail,) = compiled.warning_details
    assert detail["code"] == "validate.warning" and detail["text"]["zh"] == "ODK Validate 报告：Odd thing"

"""Broken XLSForms, each explained precisely: the error code, the kind of problem, the sheet,
row and column it is about, and the message in both languages (tests/data/broken/expected.json).

The rows are those a spreadsheet shows (row 1 holds the headers); columns are named as the
author wrote them (`Relevant`, `Label`). ODK Validate's banner and stack lines never appear.
"""
import json
from pathlib import Path

import pytest

import forms

BROKEN = Path(__file__).resolve().parents[2] / "data" / "broken"
EXPECTED = json.loads((BROKEN / "expected.json").read_text(encoding="utf-8"))


def test_there_are_enough_broken_forms_and_each_has_an_expectation():
    assert len(EXPECTED) >= 25
    assert sorted(EXPECTED) == sorted(p.name for p in BROKEN.glob("*.md"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_broken_form_is_located_and_explained_in_both_languages(name):
    want = EXPECTED[name]
    data = (BROKEN / name).read_bytes()
    for lang in ("en", "zh"):
        with pytest.raises(forms.FormError) as info:
            forms.compile_xlsform(data, name, lang=lang)
        err, first = info.value, info.value.details[0]
        assert (err.code, first["code"], first["sheet"], first["row"], first["column"]) == (
            want["code"], want["kind"], want["sheet"], want["row"], want["column"])
        assert first["text"] == {"zh": want["zh"], "en": want["en"]}
        assert first["message"] == want[lang]
        assert want[lang] in err.message
        for noise in (">>", "Exception", "\tat ", "org.javarosa", "Something broke"):
            assert noise not in err.message

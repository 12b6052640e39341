"""Reading the compiled XForm back: version stamping, media, labels, hardened parsing."""

from __future__ import annotations

import hashlib

import pytest

import forms
from forms import xform
from forms.rows import RowIndex
from forms.validate import odk_validate
from tests.unit.forms.helpers import DATA, parse, survey_xlsx


@pytest.fixture(scope="module")
def unversioned():
    data = survey_xlsx(["text", "a", "A"], ["integer", "b", "B"])
    return forms.compile_xlsform(data, "plain.xlsx", validate=False)


def test_stamp_version_rewrites_the_instance_root_and_the_md5(unversioned):
    stamped = forms.stamp_version(unversioned, "2025013101")
    root = xform.primary_root(parse(stamped.xml))
    assert root.get("version") == "2025013101" and root.get("id") == "plain"
    assert stamped.version == "2025013101"
    assert stamped.md5 == hashlib.md5(stamped.xml.encode("utf-8")).hexdigest() != unversioned.md5
    assert unversioned.version is None  # the original is untouched
    assert stamped.fields == unversioned.fields


def test_stamp_version_refuses_an_empty_version(unversioned):
    with pytest.raises(ValueError):
        forms.stamp_version(unversioned, " ")


def test_stamp_version_replaces_an_existing_version():
    compiled = forms.compile_xlsform(DATA / "features.md", validate=False)
    restamped = forms.stamp_version(compiled, "8")
    assert xform.primary_root(parse(restamped.xml)).get("version") == "8"
    assert forms.describe(restamped.xml).version == "8"


def test_stamped_form_still_passes_odk_validate(unversioned):
    stamped = forms.stamp_version(unversioned, "1")
    assert odk_validate(stamped.xml, RowIndex([]), "en") == ()


def test_untranslated_labels_use_the_default_key():
    data = survey_xlsx(["select_one yn", "q", "Q"],
                       choices=[["list_name", "name", "label"], ["yn", "yes", "Yes"], ["yn", "no", "No"]])
    compiled = forms.compile_xlsform(data, "yn.xlsx", validate=False)
    field = compiled.field_at("/data/q")
    assert compiled.languages == ()
    assert field.choices[0] == forms.Choice("yes", {"default": "Yes"})


def test_media_are_bare_deduplicated_and_sorted():
    data = survey_xlsx(
        ["note", "n1", "One", "b.png", "x.mp4"],
        ["note", "n2", "Two", "b.png", ""],
        ["note", "n3", "Three", "a.jpg", ""],
        header=("type", "name", "label", "media::image", "media::video"),
    )
    compiled = forms.compile_xlsform(data, "m.xlsx", validate=False)
    assert compiled.media == ("a.jpg", "b.png", "x.mp4")


def test_parser_does_not_expand_external_entities(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    doc = xform.parse(f'<!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]><x>&e;</x>')
    assert "TOP-SECRET" not in (doc.text or "")


def test_language_codes():
    assert xform.lang_code("中文 (zh)") == "zh"
    assert xform.lang_code("English (en)") == "en"
    assert xform.lang_code("French") == "French"

"""Compiling XLSForm features and checking the XForm produced, by parsing it."""

from __future__ import annotations

import pytest

import forms
from tests.unit.forms.helpers import DATA, JR, NS, parse, survey_xlsx


@pytest.fixture(scope="module")
def features():
    """tests/data/xlsform/features.md, compiled once with ODK Validate."""
    return forms.compile_xlsform(DATA / "features.md")


@pytest.fixture(scope="module")
def doc(features):
    return parse(features.xml)


def binds(doc):
    return {b.get("nodeset"): b for b in doc.iterfind(".//xf:bind", NS)}


def test_header_values(features):
    assert (features.form_id, features.version, features.title) == ("features", "7", "功能样例")
    assert features.languages == ("zh", "en")
    assert features.warnings == ()


def test_default_language_comes_first_and_is_marked(doc):
    translations = doc.findall(".//xf:itext/xf:translation", NS)
    assert [t.get("lang") for t in translations] == ["中文 (zh)", "English (en)"]
    assert translations[0].get("default") == "true()"


def test_group_nests_its_questions(doc):
    group = doc.find(".//h:body/xf:group[@ref='/data/place']", NS)
    refs = [e.get("ref") for e in group if e.get("ref", "").startswith("/")]
    assert refs == ["/data/place/province", "/data/place/county", "/data/place/village"]


def test_repeat_has_template_and_count(doc, features):
    repeat = doc.find(".//xf:repeat", NS)
    assert repeat.get("nodeset") == "/data/members"
    assert "hh_size" in repeat.get(JR + "count")
    template = doc.find(".//xf:instance/xf:data/xf:members", NS)
    assert template.get(JR + "template") == ""
    age = features.field_at("/data/members/age")
    assert (age.repeat, age.type, age.required) == ("/data/members", "integer", True)


def test_cascading_select_filters_on_the_parent_answer(doc, features):
    itemset = doc.find(".//xf:select1[@ref='/data/place/county']/xf:itemset", NS)
    assert itemset.get("nodeset").startswith("instance('county')/root/item[")
    assert "/data/place/province" in itemset.get("nodeset")
    items = doc.findall(".//xf:instance[@id='county']/xf:root/xf:item", NS)
    pairs = [(i.findtext("xf:name", namespaces=NS), i.findtext("xf:province", namespaces=NS)) for i in items]
    assert pairs == [("c1", "p1"), ("c2", "p2")]
    county = features.field_at("/data/place/county")
    assert county.list_name == "county" and county.choice_values() == ("c1", "c2")
    assert county.choices[0].label == {"zh": "一县", "en": "County 1"}


def test_select_from_file_uses_an_external_instance(doc, features):
    instances = {i.get("id"): i.get("src") for i in doc.iterfind(".//xf:instance[@src]", NS)}
    assert instances["villages"] == "jr://file-csv/villages.csv"
    assert instances["wards"] == "jr://file/wards.xml"
    village = features.field_at("/data/place/village")
    assert (village.type, village.list_name, village.choices) == ("select_one", "villages", None)


def test_pulldata_declares_its_csv(doc):
    instances = {i.get("id"): i.get("src") for i in doc.iterfind(".//xf:instance[@src]", NS)}
    assert instances["roster"] == "jr://file-csv/roster.csv"
    assert binds(doc)["/data/roster_size"].get("calculate").startswith("pulldata('roster'")


def test_calculations_and_constraints_are_binds(doc, features):
    b = binds(doc)
    assert "sum(" in b["/data/n_children"].get("calculate")
    assert b["/data/hh_size"].get("constraint") == ". >= 1 and . <= 30"
    assert b["/data/hh_size"].get("required") == "true()"
    assert b["/data/hh_size"].get(JR + "constraintMsg").startswith("jr:itext(")
    assert features.field_at("/data/n_children").type == "calculate"


def test_relevant_and_select_multiple(doc, features):
    assert "selected(" in binds(doc)["/data/help_other"].get("relevant")
    assert features.field_at("/data/helps").type == "select_multiple"


def test_media_labels_are_itext_forms(doc, features):
    path = ".//xf:translation[@lang='English (en)']/xf:text[@id='/data/hh_size:label']/xf:value"
    by_form = {v.get("form"): v.text for v in doc.findall(path, NS)}
    assert by_form == {None: "Household size", "image": "jr://images/people.png",
                       "audio": "jr://audio/size.mp3"}
    assert features.media == ("people.png", "roster.csv", "size.mp3", "villages.csv", "wards.xml")


def test_field_types(features):
    types = {f.name: f.type for f in features.fields}
    assert types["start"] == "start"
    assert types["gps"] == "geopoint"
    assert types["photo"] == "image"
    assert types["summary"] == "note"
    assert types["instanceID"] == "instanceID"


def test_md5_is_md5_of_the_served_bytes(features):
    import hashlib

    assert features.xml_bytes == features.xml.encode("utf-8")
    assert features.md5 == hashlib.md5(features.xml_bytes).hexdigest()
    assert features.md5 == features.md5.lower() and len(features.md5) == 32


def test_csv_xlsform():
    compiled = forms.compile_xlsform(DATA / "simple.csv", validate=False)
    assert compiled.form_id == "simple_csv"
    assert [f.name for f in compiled.fields] == ["name", "age", "instanceID"]
    assert compiled.languages == ()


def test_bytes_with_filename_and_fallback_form_id():
    data = survey_xlsx(["text", "q", "Question"])
    compiled = forms.compile_xlsform(data, "village survey.xlsx", validate=False)
    assert compiled.form_id == "village survey"
    assert compiled.version is None
    assert compiled.field_at("/data/q").type == "text"


def test_encrypted_form_exposes_key_and_submission_url():
    compiled = forms.compile_xlsform(DATA / "encrypted.md", validate=False)
    assert compiled.public_key.startswith("MIIB")
    assert compiled.submission_url == "https://fieldcheck.example/submission"
    submission = parse(compiled.xml).find(".//xf:model/xf:submission", NS)
    assert submission.get("base64RsaPublicKey") == compiled.public_key


def test_compiled_form_is_frozen(features):
    with pytest.raises(AttributeError):
        features.xml = "<x/>"

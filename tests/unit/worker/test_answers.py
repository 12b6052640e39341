"""Parsing a submission into the answers document, typed by the form's fields."""
from pathlib import Path

import pytest

from forms import compile_xlsform
from server.submissions.answers import parse_answers, value_at
from server.infra.errors import Problem
from server.questionnaires.forms_service import _field_dict

FEATURES = Path(__file__).resolve().parents[2] / "data" / "xlsform" / "features.md"

INSTANCE = """<?xml version='1.0' encoding='UTF-8' ?>
<data xmlns:jr="http://openrosa.org/javarosa" xmlns:orx="http://openrosa.org/xforms"
      id="features" version="1">
  <start>2025-01-31T10:22:03.000+08:00</start>
  <place><province>p1</province><county>c1</county><village>v7</village></place>
  <hh_size>2</hh_size>
  <roster_size>3</roster_size>
  <members><member_name>王建国</member_name><age>61</age><is_child>0</is_child></members>
  <members><member_name>王小明</member_name><age>9</age><is_child>1</is_child></members>
  <n_children>1</n_children>
  <ward/>
  <helps>cash other</helps>
  <help_other>种子</help_other>
  <gps>47.17 119.94 980.5 4.2</gps>
  <photo>1738311111111.jpg</photo>
  <summary/>
  <extra_from_old_version>x</extra_from_old_version>
  <orx:meta><orx:instanceID>uuid:2d1c4b6e-0000-4000-8000-000000000001</orx:instanceID></orx:meta>
</data>"""


@pytest.fixture(scope="module")
def fields():
    return [_field_dict(f) for f in compile_xlsform(FEATURES, validate=False).fields]


def test_groups_flatten_and_values_are_typed(fields):
    data = parse_answers(INSTANCE, fields, ["1738311111111.jpg"])["data"]
    assert data["place/province"] == "p1" and data["hh_size"] == 2
    assert data["helps"] == ["cash", "other"]
    assert data["gps"] == {"lat": 47.17, "lon": 119.94, "alt": 980.5, "accuracy": 4.2}
    assert data["ward"] is None and data["meta/instanceID"].startswith("uuid:")
    assert value_at(data, "/data/place/village") == "v7"


def test_repeats_are_lists_of_dicts_relative_to_the_repeat(fields):
    members = parse_answers(INSTANCE, fields)["data"]["members"]
    assert members == [{"member_name": "王建国", "age": 61, "is_child": "0"},
                       {"member_name": "王小明", "age": 9, "is_child": "1"}]


def test_media_answers_are_linked_to_attachments(fields):
    result = parse_answers(INSTANCE, fields, ["1738311111111.jpg"])
    assert result["attachments"] == [{"path": "/data/photo", "name": "1738311111111.jpg", "present": True}]
    missing = parse_answers(INSTANCE, fields, [])
    assert missing["attachments"][0]["present"] is False


def test_unknown_elements_are_kept_and_reported(fields):
    result = parse_answers(INSTANCE, fields)
    assert result["data"]["extra_from_old_version"] == "x"
    assert result["unknown"] == ["/data/extra_from_old_version"]


def test_an_answer_not_of_its_type_is_refused_with_its_path(fields):
    broken = INSTANCE.replace("<hh_size>2</hh_size>", "<hh_size>two</hh_size>").replace(
        "<gps>47.17 119.94 980.5 4.2</gps>", "<gps>97.17 119.94 980.5 4.2</gps>")
    error = pytest.raises(Problem, parse_answers, broken, fields).value
    assert error.code == "submission.invalid_answer" and error.status == 422
    assert [(d["path"], d["type"], d["value"]) for d in error.details] == [
        ("/data/hh_size", "integer", "two"), ("/data/gps", "geopoint", "97.17 119.94 980.5 4.2")]


@pytest.mark.parametrize("kind, text", [
    ("decimal", "NaN"), ("decimal", "nan"), ("decimal", "Infinity"), ("decimal", "-inf"),
    ("decimal", "1e400"), ("decimal", "1,5"), ("integer", "2147483648"), ("integer", "-2147483649"),
    ("integer", "1_000"), ("integer", "1.0"), ("range", "NaN"), ("date", "2026-02-30"),
    ("date", "2026-13-01"), ("date", "20260101"), ("today", "2026-02-29"),
    ("datetime", "2026-02-30T10:00:00.000+08:00"), ("start", "yesterday"), ("time", "25:00:00"),
    ("geopoint", "47.1 190.0"), ("geopoint", "NaN 119.9"), ("geopoint", "47.1"),
    ("geopoint", "47.1 119.9 10 -1"), ("geotrace", "47.1 119.9;95 119.9"),
])
def test_values_that_cannot_be_of_their_xform_type(kind, text):
    fields = [{"path": "/data/x", "type": kind}]
    error = pytest.raises(Problem, parse_answers, f"<data id='f'><x>{text}</x></data>", fields).value
    assert error.code == "submission.invalid_answer" and error.details[0]["value"] == text


@pytest.mark.parametrize("kind, text, value", [
    ("decimal", "-1.5e3", -1500.0), ("integer", "-2147483648", -2 ** 31), ("integer", "+7", 7),
    ("date", "2024-02-29", "2024-02-29"), ("range", "3", 3),
    ("datetime", "2026-12-03T10:11:12.345+08:00", "2026-12-03T10:11:12.345+08:00"),
    ("time", "10:11:12.345+08:00", "10:11:12.345+08:00"),
    ("geopoint", "-90 180 0 0", {"lat": -90.0, "lon": 180.0, "alt": 0.0, "accuracy": 0.0}),
])
def test_values_of_their_type_are_kept(kind, text, value):
    fields = [{"path": "/data/x", "type": kind}]
    assert parse_answers(f"<data id='f'><x>{text}</x></data>", fields)["data"]["x"] == value


@pytest.mark.parametrize("xml", [
    "<data><unclosed></data>",
    '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><data>&a;</data>',
    '<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><data>&x;</data>',
    "",
])
def test_hostile_or_broken_xml_is_refused(fields, xml):
    with pytest.raises(Problem) as caught:
        parse_answers(xml, fields)
    assert caught.value.code == "submission.unparseable"

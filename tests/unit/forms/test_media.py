"""forms/media.py through real pyxform-compiled XForms: every way ODK Collect reads a form's files,
the name search() and pulldata() read, how an upload's name is matched, entities, and media status.

How Collect finds the files (read in getodk/collect): it downloads each manifest entry into the form's
media folder under the manifest's <filename>, byte for byte (ServerFormUseCases: File(mediaDir,
filename)), and a jr://images|audio|video|file|file-csv/NAME reference opens mediaDir/NAME — an exact
name, no case folding or Unicode normalisation of its own. Whether 'Logo.PNG' then opens 'logo.png'
depends on the phone's storage (Android's shared storage folds case, not every file system does), so
fieldcheck stores an upload under the form's own spelling and the manifest carries that spelling.
search('name') and pulldata('name', ...) are the exception: Collect lower-cases the name and drops a
'.csv' suffix (ExternalDataHandlerBase.normalize) and imports every *.csv of the folder (suffix checked
in any case, itemsets.csv excepted) as a data set named after the file without its extension.
"""

from __future__ import annotations

import unicodedata

import pytest
from lxml import etree

import forms
from forms import media, xform
from forms.media import MediaRef
from tests.unit.forms.helpers import NS

XF = "{%s}" % NS["xf"]

HEADER = ("type", "name", "label", "hint", "media::image", "media::big-image", "media::audio", "media::video",
          "appearance", "calculation", "default", "choice_filter")
REFS = "| survey |\n| | " + " | ".join(HEADER) + """ |
| | note | intro | 说明 | 提示 | My Photo.png | 大图 Big.JPG | 问题 一.mp3 | Clip.MP4 | | | | |
| | select_one fruit | f | 水果 | | | | | | | | | |
| | select_one food | food | 食物 | | | | | | search('Fruits Lookup') | | | |
| | select_multiple veg | veg | 蔬菜 | | | | | | minimal search("蔬菜 表.csv") | | | |
| | calculate | size | | | | | | | | pulldata('家庭 名单', 'size', 'id', ${f}) | | |
| | image | pic | 照片 | | | | | | | | jr://images/default pic.png | |
| | text | t | 文本 | | My Photo.png | | | | | | jr://file-csv/lookup.csv | |
| | select_one_from_file villages.csv | v | 村 | | | | | | | | | |
| | select_one_from_file wards.xml | w | 组 | | | | | | | | | |
| | select_multiple_from_file plots.geojson | g | 地块 | | | | | | | | | |
| | select_one_external city | city | 城市 | | | | | | | | | fruit = ${f} |
| | csv-external | hh | | | | | | | | | | |
| | xml-external | regions | | | | | | | | | | |
| | calculate | hh_name | | | | | | | | instance('hh')/root/item[name = ${f}]/label | | |
| choices |
| | list_name | name | label | image |
| | fruit | apple | 苹果 | apple.png |
| | fruit | pear | 梨 | 苹果 图.png |
| | fruit | plum | 李 | apple.png |
| | food | name_key | name | photo_col |
| | food | 99 | 其他 | other.png |
| | veg | key | label | veg_photo |
| external_choices |
| | list_name | name | label | fruit |
| | city | x | X | apple |
| settings |
| | form_id | version |
| | refs | 1 |
"""


@pytest.fixture(scope="module")
def compiled():
    """REFS compiled once, with ODK Validate: a form Collect opens."""
    return forms.compile_xlsform(REFS.encode("utf-8"), "refs.md")


@pytest.fixture(scope="module")
def refs(compiled):
    return {r.filename: r for r in compiled.media_refs}


@pytest.mark.parametrize("filename, kind, via", [
    ("My Photo.png", "image", "label"),          # media::image, a space in the name
    ("大图 Big.JPG", "image", "label"),           # media::big-image, Chinese and mixed case
    ("问题 一.mp3", "audio", "label"),             # media::audio
    ("Clip.MP4", "video", "label"),               # media::video
    ("apple.png", "image", "choice"),             # a choice's image
    ("苹果 图.png", "image", "choice"),
    ("other.png", "image", "choice"),             # the static (integer) choice of a search() select
    ("default pic.png", "image", "default"),      # an image question's default
    ("lookup.csv", "file", "default"),            # a jr://file-csv default value
    ("家庭 名单.csv", "file", "instance"),         # pulldata(): pyxform declares its CSV as an instance
    ("villages.csv", "file", "instance"),         # select_one_from_file .csv
    ("wards.xml", "file", "instance"),            # select_one_from_file .xml
    ("plots.geojson", "file", "instance"),        # select_multiple_from_file .geojson
    ("hh.csv", "file", "instance"),               # csv-external, read with instance('hh')
    ("regions.xml", "file", "instance"),          # xml-external
    ("Fruits Lookup.csv", "file", "search"),      # search('Fruits Lookup') reads Fruits Lookup.csv
    ("蔬菜 表.csv", "file", "search"),             # search("….csv") in a select_multiple, extension kept
    ("itemsets.csv", "file", "itemsets"),         # select_one_external
])
def test_each_way_collect_reads_a_file_is_a_reference(refs, filename, kind, via):
    assert (refs[filename].kind, refs[filename].via) == (kind, via)


def test_nothing_else_is_a_reference_and_each_name_comes_once(compiled, refs):
    assert len(refs) == len(compiled.media_refs) == 18
    assert compiled.media == tuple(sorted(refs))
    # A search() select's configuration choice names CSV columns in its label and image
    # (Collect: ExternalDataUtil.populateExternalChoices): 'photo_col' is no file to upload.
    assert "photo_col" not in refs and "veg_photo" not in refs


def test_the_itemsets_file_is_made_from_the_external_choices(compiled):
    assert compiled.itemsets.splitlines()[1] == '"city","x","X","apple"'


def _with_hint_image(xml: str, name: str) -> etree._Element:
    """pyxform writes no hint media; a hand-made XForm can (<value form="image"> in the hint's itext)."""
    doc = xform.parse(xml)
    hint = doc.find(f".//{XF}input[@ref='/data/intro']/{XF}hint")
    text = etree.SubElement(doc.find(f".//{XF}itext/{XF}translation"), f"{XF}text", id="/data/intro:hint")
    etree.SubElement(text, f"{XF}value").text, hint.text = hint.text, None
    etree.SubElement(text, f"{XF}value", form="image").text = f"jr://images/{name}"
    hint.set("ref", "jr:itext('/data/intro:hint')")
    return doc


def test_a_hint_image(compiled):
    found = {r.filename: r for r in media.references(_with_hint_image(compiled.xml, "hint 图.png"))}
    assert found["hint 图.png"] == MediaRef("hint 图.png", "image", "hint")


def test_pulldata_without_a_declared_instance_still_reads_its_csv(compiled):
    """An XForm made without pyxform may call pulldata() with no <instance>: Collect reads name.csv."""
    doc = xform.parse(compiled.xml)
    model = doc.find(f".//{XF}model")
    model.remove(model.find(f"{XF}instance[@id='家庭 名单']"))
    found = {r.filename: r for r in media.references(doc)}
    assert found["家庭 名单.csv"] == MediaRef("家庭 名单.csv", "file", "pulldata")


SEARCH_ONLY = """| survey |
| | type | name | label | appearance |
| | select_one fruits | fruit | 水果 | search('fruits') |
| choices |
| | list_name | name | label | image |
| | fruits | {value} | name | {image} |
| settings |
| | form_id | version |
| | s | 1 |
"""


@pytest.mark.parametrize("value, image, wanted", [
    ("name_key", "image", ["fruits.csv"]),               # the configuration choice: 'image' is a column
    ("-12", "static.png", ["fruits.csv", "static.png"]),  # an integer value is a static choice, shown
    ("2147483648", "col", ["fruits.csv"]),                # too big for a Java int: configuration again
])
def test_search_choices_images_are_files_only_for_static_choices(value, image, wanted):
    compiled = forms.compile_xlsform(SEARCH_ONLY.format(value=value, image=image).encode(), "s.md",
                                     validate=False)
    assert sorted(compiled.media) == wanted


@pytest.mark.parametrize("uri, expected", [
    ("jr://images/My Photo.png", ("image", "My Photo.png")),
    ("jr://audio/问题.mp3", ("audio", "问题.mp3")),
    ("jr://video/Clip.MP4", ("video", "Clip.MP4")),
    ("jr://file/wards.xml", ("file", "wards.xml")),
    ("jr://file-csv/villages.csv", ("file", "villages.csv")),
    ("  jr://images/logo.png  ", ("image", "logo.png")),
    ("jr://images/sub/logo.png", ("image", "logo.png")),   # the bare name: one media folder
    ("jr://images/", None),
    ("jr://images/ ", None),
    ("jr://instance/casedb", None),
    ("https://example.org/logo.png", None),
    ("logo.png", None),
    ("", None),
    (None, None),
])
def test_jr_name(uri, expected):
    assert media.jr_name(uri) == expected


@pytest.mark.parametrize("name, expected", [
    ("fruits", "fruits.csv"),
    ("fruits.csv", "fruits.csv"),
    ("Fruits.CSV", "Fruits.CSV"),          # already a CSV name: Collect imports any *.csv, any case
    ("Fruits Lookup", "Fruits Lookup.csv"),
    ("家庭 名单", "家庭 名单.csv"),
    ("fruits.txt", "fruits.txt.csv"),
    (" fruits", None),                     # Collect would look for ' fruits': no upload can match
    ("fruits ", None),
    ("", None),
])
def test_csv_name(name, expected):
    assert media.csv_name(name) == expected


NFC = unicodedata.normalize("NFC", "Café 图.png")
NFD = unicodedata.normalize("NFD", "Café 图.png")


@pytest.mark.parametrize("uploaded, expected_names, wanted", [
    ("My Photo.png", ["My Photo.png"], "My Photo.png"),
    ("my photo.PNG", ["My Photo.png"], "My Photo.png"),     # mixed case: stored as the form spells it
    ("MY PHOTO.PNG", ["My Photo.png", "logo.png"], "My Photo.png"),
    ("My  Photo.png", ["My Photo.png"], None),              # spaces are part of the name
    ("MyPhoto.png", ["My Photo.png"], None),
    ("问题 一.mp3", ["问题 一.mp3"], "问题 一.mp3"),
    ("问题一.mp3", ["问题 一.mp3"], None),
    ("大图 big.jpg", ["大图 Big.JPG"], "大图 Big.JPG"),
    (NFD, [NFC], NFC),                                      # a macOS upload: decomposed é
    (NFC, [NFD], NFD),
    ("Logo.png", ["logo.png", "LOGO.png"], None),           # two could be meant: neither is guessed
    ("LOGO.png", ["logo.png", "LOGO.png"], "LOGO.png"),     # an exact name always wins
    ("other.png", ["logo.png"], None),
    ("logo.png", [], None),
    ("logo.png", ("logo.png",), "logo.png"),
])
def test_match_upload(uploaded, expected_names, wanted):
    assert media.match_upload(uploaded, expected_names) == wanted


ENTITIES = """| survey |
| | type | name | label | save_to |
| | text | head | 户主 | head_name |
| entities |
| | list_name | label |
| | households | ${head} |
| settings |
| | form_id | version |
| | ent | 1 |
"""
ENTITY_UPDATE = """| survey |
| | type | name | label | save_to |
| | select_one_from_file households.csv | hh | 住户 | |
| | integer | size | 人口 | size |
| entities |
| | list_name | entity_id |
| | households | ${hh} |
| settings |
| | form_id | version |
| | ent_update | 1 |
"""
PLAIN = """| survey |
| | type | name | label |
| | select_one_from_file households.csv | hh | 住户 |
| settings |
| | form_id | version |
| | plain | 1 |
"""


@pytest.mark.parametrize("text, declares", [(ENTITIES, True), (ENTITY_UPDATE, True), (PLAIN, False)])
def test_declares_entities(text, declares):
    compiled = forms.compile_xlsform(text.encode("utf-8"), "f.md", validate=False)
    assert media.declares_entities(xform.parse(compiled.xml)) is declares
    assert ("entities.ignored" in [d["code"] for d in compiled.warning_details]) is declares


def test_an_entity_update_form_still_needs_its_csv_as_an_ordinary_file():
    compiled = forms.compile_xlsform(ENTITY_UPDATE.encode("utf-8"), "f.md", validate=False)
    assert compiled.media_refs == (MediaRef("households.csv", "file", "instance"),)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_entities_form_is_accepted_with_the_warning_in_both_languages(lang):
    compiled = forms.compile_xlsform(ENTITIES.encode("utf-8"), "ent.md", lang=lang)   # with Validate
    (warning,) = [d for d in compiled.warning_details if d["code"] == "entities.ignored"]
    assert warning["text"]["zh"].startswith("entities 表：fieldcheck 不创建、不更新实体列表")
    assert "save_to 的值不会写入任何实体列表" in warning["text"]["zh"]
    assert warning["text"]["en"].startswith("entities sheet: fieldcheck does not create or update entity")
    assert "save_to values go into no entity list" in warning["text"]["en"]
    assert warning["message"] == warning["text"][lang] and warning["message"] in compiled.warnings


REFS_FOR_STATUS = (MediaRef("logo.png", "image", "label"), MediaRef("villages.csv", "file", "instance"),
                   MediaRef("fc_households.csv", "file", "instance"))


@pytest.mark.parametrize("present, generated, states, missing, unreferenced", [
    ({}, (), ["missing", "missing", "missing"], ["logo.png", "villages.csv", "fc_households.csv"], []),
    ({}, ("fc_households.csv",), ["missing", "missing", "generated"], ["logo.png", "villages.csv"], []),
    ({"logo.png": "m1", "villages.csv": "m2"}, ("fc_households.csv",), ["present", "present", "generated"],
     [], []),
    ({"fc_households.csv": "m3"}, ("fc_households.csv",), ["missing", "missing", "present"],
     ["logo.png", "villages.csv"], []),                   # an uploaded file wins over the generated one
    ({"logo.png": "m1", "villages.csv": "m2", "zz.png": "m4", "notes.pdf": "m5"}, ("fc_households.csv",),
     ["present", "present", "generated"], [], ["notes.pdf", "zz.png"]),
    ({"Logo.png": "m1"}, (), ["missing", "missing", "missing"],
     ["logo.png", "villages.csv", "fc_households.csv"], ["Logo.png"]),   # stored names are exact
])
def test_status(present, generated, states, missing, unreferenced):
    found = media.status(REFS_FOR_STATUS, present, generated)
    assert [e["status"] for e in found["expected"]] == states
    assert [e["md5"] for e in found["expected"]] == [present.get(r.filename) for r in REFS_FOR_STATUS]
    assert [(e["filename"], e["kind"], e["via"]) for e in found["expected"]] == [
        (r.filename, r.kind, r.via) for r in REFS_FOR_STATUS]
    assert (found["missing"], found["unreferenced"]) == (missing, unreferenced)


def test_status_reads_references_stored_as_dicts(compiled):
    stored = [r.to_dict() for r in compiled.media_refs]
    present = {name: "md5" for name in compiled.media if name != "itemsets.csv"} | {"extra.png": "x"}
    found = media.status(stored, present)
    assert found["missing"] == ["itemsets.csv"] and found["unreferenced"] == ["extra.png"]
    assert {e["filename"]: e["status"] for e in found["expected"]}["Fruits Lookup.csv"] == "present"

"""Media and external data through the API, then on to Collect: an entities form is accepted and says, in
the caller's language, what fieldcheck does not do with it; a file nothing references is a warning that
does not stop publishing; a file the form references (by search(), pulldata(), a label, ...) and that was
not uploaded stops publishing, named; uploads are stored under the form's spelling, which is what the
manifest gives Collect (spaces, Chinese, mixed case), with itemsets.csv for select_one_external."""
import hashlib
import io
from urllib.parse import urlsplit

from lxml import etree

from server.infra.extensions import db
from server.models import Evaluation
from tests.integration.forms.test_forms_lifecycle import converted, upload
from tests.integration.forms.test_forms_lifecycle import supervisor  # noqa: F401 (a fixture)
from testkit.factories import make_enumerator

API = "/api/v1/evaluations/county1/forms"
NS_MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
PNG = b"\x89PNG\r\n\x1a\n" + b"1" * 80

ENTITIES = """| survey |
| | type | name | label | save_to |
| | text | head | 户主 | head_name |
| | integer | size | 人口 | size |
| entities |
| | list_name | label |
| | households | ${head} |
| settings |
| | form_id | version |
| | entity_form | 1 |
"""
LOGO_ONLY = """| survey |
| | type | name | label | media::image |
| | text | q1 | 问题 | logo.png |
| settings |
| | form_id | version |
| | logo_form | 1 |
"""
LOOKUPS = """| survey |
| | type | name | label | media::image | appearance | calculation | choice_filter |
| | select_one fruit | f | 水果 | My Photo.png | | | |
| | select_one food | food | 食物 | | search('Fruits Lookup') | | |
| | calculate | size | | | | pulldata('家庭 名单', 'size', 'id', ${f}) | |
| | select_one_external city | city | 城市 | | | | fruit = ${f} |
| choices |
| | list_name | name | label |
| | fruit | apple | 苹果 |
| | food | name_key | name |
| external_choices |
| | list_name | name | label | fruit |
| | city | x | X | apple |
| settings |
| | form_id | version |
| | lookups | 1 |
"""
LOOKUP_NAMES = ["My Photo.png", "家庭 名单.csv", "Fruits Lookup.csv"]


def _draft(client, headers, text, form_id):
    job = converted(client, upload(client, headers, text, filename=f"{form_id}.md", publish="no"))
    assert job["state"] == "done", job
    return f"{API}/{form_id}/versions/{job['result']['version_id']}"


def _send(client, headers, url, files, lang):
    data = {f"file{i}": (io.BytesIO(body), name) for i, (name, body) in enumerate(files.items())}
    return client.post(url + "/media", data=data, content_type="multipart/form-data",
                       headers={**headers, "Accept-Language": lang})


def test_an_entities_form_is_accepted_and_says_in_both_languages_what_is_not_done(client, supervisor):  # noqa
    job = converted(client, upload(client, supervisor, ENTITIES, filename="entity_form.md"))
    assert job["state"] == "done" and job["result"]["published"], job   # accepted and published
    url = f"{API}/entity_form/versions/{job['result']['version_id']}"
    zh = client.get(url, headers={"Accept-Language": "zh-CN"}).json
    en = client.get(url, headers={"Accept-Language": "en"}).json
    (zh_warning,) = [d for d in zh["warning_details"] if d["code"] == "entities.ignored"]
    (en_warning,) = [d for d in en["warning_details"] if d["code"] == "entities.ignored"]
    assert zh_warning["message"].startswith("entities 表：fieldcheck 不创建、不更新实体列表")
    assert "save_to 的值不会写入任何实体列表" in zh_warning["message"]
    assert en_warning["message"].startswith("entities sheet: fieldcheck does not create or update entity")
    assert "save_to values go into no entity list" in en_warning["message"]
    assert zh["state"] == "current" and zh["media_status"]["missing"] == []


def test_an_unreferenced_file_is_a_warning_in_both_languages_and_publishing_goes_ahead(client, supervisor):  # noqa
    url = _draft(client, supervisor, LOGO_ONLY, "logo_form")
    en = _send(client, supervisor, url, {"logo.png": PNG, "notes 说明.pdf": b"%PDF-1.4"}, "en").json
    assert en["missing_media"] == [] and en["media_status"]["unreferenced"] == ["notes 说明.pdf"]
    assert en["media_status"]["warnings"] == [
        "The form does not reference 'notes 说明.pdf'; it is served to phones anyway, but the form may never "
        "use it (check the file name's spelling)."]
    zh = client.get(url, headers={"Accept-Language": "zh-CN"}).json["media_status"]
    assert zh["warnings"] == ["文件 'notes 说明.pdf' 未被问卷引用；仍会发给手机，但问卷可能用不到它（请检查文件名拼写）。"]
    published = client.post(url + "/publish", headers=supervisor)
    assert published.status_code == 200 and published.json["published_at"], published.json
    assert sorted(m["filename"] for m in published.json["media"]) == ["logo.png", "notes 说明.pdf"]


def test_a_missing_referenced_file_stops_publishing_named_in_both_languages(client, supervisor):  # noqa: F811
    url = _draft(client, supervisor, LOOKUPS, "lookups")
    status = client.get(url, headers={"Accept-Language": "en"}).json["media_status"]
    assert [(e["filename"], e["via"], e["status"]) for e in status["expected"]] == [
        ("My Photo.png", "label", "missing"), ("家庭 名单.csv", "instance", "missing"),
        ("Fruits Lookup.csv", "search", "missing"), ("itemsets.csv", "itemsets", "present")]
    for lang, words in (("en", "cannot be published"), ("zh-Hans", "不能发布")):
        refused = client.post(url + "/publish", headers={**supervisor, "Accept-Language": lang})
        assert refused.status_code == 422 and refused.json["code"] == "form.media_missing"
        assert ", ".join(sorted(LOOKUP_NAMES)) in refused.json["message"] and words in refused.json["message"]
        assert [d["filename"] for d in refused.json["details"]] == sorted(LOOKUP_NAMES)
    # One of the three still missing is still refused, by its name alone.
    partly = _send(client, supervisor, url, {"my photo.PNG": PNG, "家庭 名单.csv": b"id,size\n1,4\n"}, "en")
    assert partly.json["missing_media"] == ["Fruits Lookup.csv"]
    refused = client.post(url + "/publish", headers={**supervisor, "Accept-Language": "en"})
    assert refused.status_code == 422
    assert [d["filename"] for d in refused.json["details"]] == ["Fruits Lookup.csv"]


def test_uploads_are_served_to_collect_under_the_forms_own_spelling(client, supervisor):  # noqa: F811
    url = _draft(client, supervisor, LOOKUPS, "lookups")
    files = {"my photo.PNG": PNG, "家庭 名单.CSV": b"id,size\n1,4\n",
             "FRUITS LOOKUP.csv": b"name_key,name\na,A\n"}
    sent = _send(client, supervisor, url, files, "en").json
    assert sent["missing_media"] == [] and sent["media_status"]["unreferenced"] == []
    assert client.post(url + "/publish", headers=supervisor).status_code == 200

    _, token = make_enumerator(db.session.query(Evaluation).one())
    manifest = client.get(f"/key/{token}/county1/forms/lookups/manifest")
    assert manifest.status_code == 200
    entries = {m.findtext(f"{NS_MANIFEST}filename"): m for m in etree.fromstring(manifest.data, SAFE)}
    assert sorted(entries) == sorted(LOOKUP_NAMES + ["itemsets.csv"])
    bodies = {"My Photo.png": PNG, "家庭 名单.csv": files["家庭 名单.CSV"],
              "Fruits Lookup.csv": files["FRUITS LOOKUP.csv"]}
    for name, node in entries.items():
        served = client.get(urlsplit(node.findtext(f"{NS_MANIFEST}downloadUrl")).path)
        assert served.status_code == 200, name
        assert node.findtext(f"{NS_MANIFEST}hash") == "md5:" + hashlib.md5(served.data).hexdigest()
        if name in bodies:
            assert served.data == bodies[name]
        else:  # made from the external_choices sheet
            assert served.data.decode("utf-8").splitlines()[1] == '"city","x","X","apple"'

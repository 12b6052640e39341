"""A draft's media through the dashboard's own forms, in both languages: which files are expected, present
and missing; a file the form does not reference is a warning next to the list that leaves publishing open;
a missing one keeps the publish button off and a forced publish is refused naming it; an entities form
says what fieldcheck does not do with it."""
import io
import re

from server.infra.extensions import db
from server.models import Form
from tests.integration.dashboard.helpers import form_tokens
from tests.integration.dashboard.test_forms_pages import PNG, _converted, _upload
from tests.integration.dashboard.test_forms_pages import world  # noqa: F401 (a fixture)

LOOKUPS = """| survey |
| | type | name | label | media::image | appearance | calculation |
| | select_one fruit | f | 水果 | 图标 Logo.png | | |
| | select_one food | food | 食物 | | search('Fruits Lookup') | |
| | calculate | size | | | | pulldata('家庭 名单', 'size', 'id', ${f}) |
| choices |
| | list_name | name | label |
| | fruit | apple | 苹果 |
| | food | name_key | name |
| settings |
| | form_id | version | form_title |
| | lookups | 1 | 查找 |
"""
ENTITIES = """| survey |
| | type | name | label | save_to |
| | text | head | 户主 | head_name |
| entities |
| | list_name | label |
| | households | ${head} |
| settings |
| | form_id | version | form_title |
| | entity_form | 1 | 实体 |
"""


def _page(client, url, lang):
    client.set_cookie("fieldcheck_lang", lang)
    return client.get(url).get_data(as_text=True)


def _media_rows(page):
    """{file name: (status class, use)} of the page's media table."""
    return {name: (status, use) for status, name, use in re.findall(
        r'<tr class="media-(\w+)"><td>(.*?)</td><td>(.*?)</td>', page)}


def _send_media(client, url, files):
    return client.post(url + "/media", content_type="multipart/form-data",
                       data={**form_tokens(client.get(url)),
                             "media": [(io.BytesIO(body), name) for name, body in files]})


def test_a_file_nothing_references_is_a_warning_in_both_languages_and_publishing_goes_ahead(client, world):  # noqa
    done = _converted(client, _upload(client, LOOKUPS, filename="lookups.md"))
    url = done.headers["Location"]
    page = _page(client, url, "zh_Hans")
    assert _media_rows(page) == {"图标 Logo.png": ("missing", "题目"), "家庭 名单.csv": ("missing", "选项名单或查询"),
                                 "Fruits Lookup.csv": ("missing", "search()")}
    assert re.search(r'id="publish"\s+disabled', page)
    assert "请先上传缺少的文件：图标 Logo.png, 家庭 名单.csv, Fruits Lookup.csv。" in page   # in form order

    sent = _send_media(client, url, [("图标 logo.PNG", PNG), ("fruits lookup.csv", b"name_key,name\na,A\n"),
                                     ("家庭 名单.csv", b"id,size\n1,4\n"), ("多余 Extra.png", PNG)])
    assert sent.status_code == 303
    page = _page(client, url, "zh_Hans")
    assert set(_media_rows(page).values()) == {("present", "题目"), ("present", "选项名单或查询"),
                                               ("present", "search()")}
    assert "问卷没有引用 多余 Extra.png；手机仍会收到它，但请检查文件名的拼写。" in page
    assert not re.search(r'id="publish"\s+disabled', page)
    english = _page(client, url, "en")
    assert ("The form does not reference 多余 Extra.png; phones get it anyway, but check the spelling of the "
            "name.") in english
    published = client.post(url + "/publish", data={**form_tokens(client.get(url))})
    assert published.status_code == 303
    form = db.session.query(Form).filter_by(xml_form_id="lookups").one()
    assert form.current_version is not None
    assert sorted(m.filename for m in form.current_version.media) == [
        "Fruits Lookup.csv", "图标 Logo.png", "多余 Extra.png", "家庭 名单.csv"]


def test_a_forced_publish_of_a_draft_missing_a_file_is_refused_naming_it(client, world):  # noqa: F811
    done = _converted(client, _upload(client, LOOKUPS, filename="lookups.md"))
    url = done.headers["Location"]
    _send_media(client, url, [("图标 Logo.png", PNG), ("家庭 名单.csv", b"id,size\n1,4\n")])
    for lang, words in (("zh_Hans", "不能发布：Fruits Lookup.csv。"),
                        ("en", "cannot be published: Fruits Lookup.csv.")):
        client.set_cookie("fieldcheck_lang", lang)
        refused = client.post(url + "/publish", data={**form_tokens(client.get(url))})
        assert refused.status_code == 422 and words in refused.get_data(as_text=True)
    assert db.session.query(Form).filter_by(xml_form_id="lookups").one().current_version is None


def test_an_entities_form_says_on_its_page_what_fieldcheck_does_not_do(client, world):  # noqa: F811
    done = _converted(client, _upload(client, ENTITIES, filename="entity_form.md"))
    url = done.headers["Location"]
    for lang, words in (("zh_Hans", "entities 表：fieldcheck 不创建、不更新实体列表"),
                        ("en", "entities sheet: fieldcheck does not create or update entity lists")):
        page = _page(client, url, lang)
        row = re.search(r'<tr data-code="entities.ignored">(.*?)</tr>', page, re.S).group(1)
        assert words in row
    assert client.post(url + "/publish", data={**form_tokens(client.get(url))}).status_code == 303

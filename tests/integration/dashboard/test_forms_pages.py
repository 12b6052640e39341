"""The forms pages through the dashboard's own forms: an upload converted in the background with its errors
located (sheet, row, column) in the page's language, a draft read before publishing (warnings, media,
contract), publish, close and reopen, who gets the form, downloads, bad files refused at once with nothing
kept, and a double-clicked post that does one thing."""
import io
import re
import zipfile

import pytest
from rq import SimpleWorker

from server.infra.extensions import db, rq
from server.models import AuditEntry, Form, FormVersion, JobRecord
from testkit.dashboard_world import build_world
from tests.integration.dashboard.helpers import csrf, form_tokens, sign_in

E = "/dashboard/county1"
BROKEN = """| survey |
| | type | name | label |
| | text | q1 | 问题一 |
| | text | q1 | 问题一again |
| settings |
| | form_id | version | form_title |
| | visit_check | 1 | 走访核查 |
"""
FIXED = """| survey |
| | type | name | label | media::image |
| | text | q1 | 问题一 | logo.png |
| | image | photo | 照片 | |
| | select_one yes_no | consent | 同意 | |
| choices |
| | list_name | name | label |
| | yes_no | yes | 是 |
| | yes_no | no | 否 |
| settings |
| | form_id | version | form_title |
| | visit_check | 1 | 走访核查 |
"""
PNG = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def world(app, client):
    built = build_world(app)
    sign_in(client, "sup1")
    return built


def run_worker():
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)


def _upload(client, text=None, filename="visit_check.md", data=None, media=(), lang=None, publish=False,
            once=None):
    page = client.get(E + "/forms")
    token = csrf(page)
    once = once or re.search(r'name="once" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    body = {"csrf_token": token, "once": once,
            "file": (io.BytesIO(data if data is not None else text.encode("utf-8")), filename),
            "media": [(io.BytesIO(content), name) for name, content in media]}
    if publish:
        body["publish"] = "yes"
    headers = {"Cookie": f"fieldcheck_lang={lang}"} if lang else {}
    return client.post(E + "/forms", data=body, content_type="multipart/form-data", headers=headers)


def _converted(client, answer, lang=None):
    assert answer.status_code == 303, answer.get_data(as_text=True)[:500]
    job_url = answer.headers["Location"]
    waiting = client.get(job_url).get_data(as_text=True)
    assert "<progress" in waiting and 'http-equiv="refresh"' in waiting  # progress, not a frozen page
    run_worker()
    if lang:
        client.set_cookie("fieldcheck_lang", lang)
    return client.get(job_url)


def test_an_error_is_shown_where_it_is_then_the_fixed_form_publishes(client, world):
    failed = _converted(client, _upload(client, BROKEN))
    page = failed.get_data(as_text=True)
    assert failed.status_code == 200 and "XLSForm 未被接受" in page
    row = re.search(r'<tr data-code="name.duplicate">(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r"<td>(.*?)</td>", row, re.S)
    assert cells[:3] == ["survey", "3", "name"] and "重复" in cells[3]
    client.set_cookie("fieldcheck_lang", "en")
    english = client.get(failed.request.path).get_data(as_text=True)
    assert "must be unique" in english  # the same error, in the language chosen now
    assert db.session.query(Form).filter_by(xml_form_id="visit_check").count() == 0  # nothing half-done

    client.set_cookie("fieldcheck_lang", "zh_Hans")
    done = _converted(client, _upload(client, FIXED, media=[("logo.png", PNG)]))
    assert done.status_code == 302 and "/forms/visit_check/versions/" in done.headers["Location"]
    draft = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "转换完成" in draft and "草稿" in draft
    warning = re.search(r'<tr data-code="parameters.suggest_max_pixels">(.*?)</tr>', draft, re.S).group(1)
    assert re.findall(r"<td>(.*?)</td>", warning, re.S)[:3] == ["survey", "3", "parameters"]
    assert 'class="media-present"' in draft and "logo.png" in draft  # sent with the XLSForm
    consent = re.search(r'<tr data-check="consent" class="(\w+)">', draft).group(1)
    present = re.search(r'<tr data-check="recusal.present_official" class="(\w+)">(.*?)</tr>', draft, re.S)
    assert consent == "supported" and present.group(1) == "unsupported"
    assert "缺少字段 &#39;present&#39;" in present.group(2)
    client.set_cookie("fieldcheck_lang", "en")
    english = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "field &#39;present&#39; not found" in english and "Use the max-pixels parameter" in english

    version_url = done.headers["Location"]
    published = client.post(version_url + "/publish", data={**form_tokens(client.get(version_url))})
    assert published.status_code == 303
    form = db.session.query(Form).filter_by(xml_form_id="visit_check").one()
    assert form.current_version is not None and form.current_version.published_at is not None
    listed = client.get(E + "/forms/visit_check").get_data(as_text=True)
    assert "Phones get version 1." in listed


def test_a_draft_missing_media_cannot_be_published_until_the_file_comes(client, world):
    done = _converted(client, _upload(client, FIXED))
    version_url = done.headers["Location"]
    page = client.get(version_url).get_data(as_text=True)
    assert 'class="media-missing"' in page and re.search(r'id="publish"\s+disabled', page)
    refused = client.post(version_url + "/publish", data={**form_tokens(client.get(version_url))})
    assert refused.status_code == 422 and "logo.png" in refused.get_data(as_text=True)
    sent = client.post(version_url + "/media", content_type="multipart/form-data",
                       data={**form_tokens(client.get(version_url)),
                             "media": [(io.BytesIO(PNG), "LOGO.png")]})
    assert sent.status_code == 303
    page = client.get(version_url).get_data(as_text=True)
    assert 'class="media-present"' in page  # stored under the form's own spelling
    assert client.post(version_url + "/publish",
                       data={**form_tokens(client.get(version_url))}).status_code == 303


def test_publishing_at_once_when_asked(client, world):
    done = _converted(client, _upload(client, FIXED, media=[("logo.png", PNG)], publish=True))
    assert done.status_code == 302
    assert db.session.query(Form).filter_by(xml_form_id="visit_check").one().current_version is not None


def _zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 2**20))  # 40 MB of zeros, ~40 KB zipped
    return out.getvalue()


@pytest.mark.parametrize("data, filename, words", [
    (_zip_bomb(), "survey.xlsx", "压缩炸弹"),
    (PNG, "survey.xlsx", "不是可作为 XLSForm 读取的表格"),
    (b"%PDF-1.4 not a form", "survey.pdf", "不是可作为 XLSForm 读取的表格"),
])
def test_a_file_that_is_not_a_spreadsheet_is_refused_next_to_the_field_and_nothing_kept(
        client, world, app, data, filename, words):
    before = db.session.query(FormVersion).count()
    answer = _upload(client, data=data, filename=filename)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert re.search(r'id="file-error" role="alert">[^<]*' + words, page)
    assert 'id="file" name="file"' in page and 'aria-invalid="true"' in page
    assert db.session.query(JobRecord).count() == 0 and db.session.query(FormVersion).count() == before


def test_an_upload_without_a_file_says_so_next_to_the_field(client, world):
    answer = client.post(E + "/forms", data={**form_tokens(client.get(E + "/forms"))},
                         content_type="multipart/form-data")
    assert answer.status_code == 422 and 'id="file-error"' in answer.get_data(as_text=True)


def test_a_double_clicked_upload_converts_once(client, world):
    first = _upload(client, FIXED, once="the-same-token-twice-0001")
    second = _upload(client, FIXED, once="the-same-token-twice-0001")
    assert first.status_code == 303 and second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]  # both show the one job
    assert db.session.query(JobRecord).filter_by(kind="form.convert").count() == 1
    third = _upload(client, FIXED)  # a new page, a new upload
    assert third.headers["Location"] != first.headers["Location"]


def test_close_reopen_and_who_gets_it(client, world):
    url = E + "/forms/fc_household_interview"
    for state, badge in (("closing", "not listed, still accepting"), ("closed", "closed"), ("open", "open")):
        answer = client.post(url + "/state", data={**form_tokens(client.get(url)), "state": state},
                             headers={"Cookie": "fieldcheck_lang=en"})
        assert answer.status_code == 303
        assert db.session.query(Form).filter_by(xml_form_id="fc_household_interview").one().state == state
    page = client.get(url).get_data(as_text=True)
    assert "Phones get version" in page or "手机获取的是版本" in page

    chosen = client.post(url + "/audience", data={**form_tokens(client.get(url)), "who": "teams",
                                                  "new_team": "回访组，二组"})
    assert chosen.status_code == 303
    db.session.expire_all()
    form = db.session.query(Form).filter_by(xml_form_id="fc_household_interview").one()
    assert form.audience == ["回访组", "二组"]
    page = client.get(url).get_data(as_text=True)
    assert "仅限小组：回访组、二组" in page and "0 名在岗调查员会收到它" in page
    empty = client.post(url + "/audience", data={**form_tokens(client.get(url)), "who": "teams"})
    assert empty.status_code == 422 and 'id="teams-error"' in empty.get_data(as_text=True)
    back = client.post(url + "/audience", data={**form_tokens(client.get(url)), "who": "everyone"})
    assert back.status_code == 303
    db.session.expire_all()
    assert db.session.query(Form).filter_by(xml_form_id="fc_household_interview").one().audience is None
    actions = [a for (a,) in db.session.query(AuditEntry.action).filter(AuditEntry.action.like("form.%"))]
    assert actions.count("form.audience") == 2 and actions.count("form.state") == 3


def test_the_xlsform_and_the_xform_of_a_version_download(client, world):
    form = db.session.query(Form).filter_by(xml_form_id="fc_household_interview").one()
    version = form.current_version
    base = f"{E}/forms/fc_household_interview/versions/{version.id}"
    xform = client.get(base + "/xform")
    assert xform.status_code == 200 and xform.data.decode("utf-8") == version.xml
    assert "attachment" in xform.headers["Content-Disposition"]
    xlsform = client.get(base + "/xlsform")
    assert xlsform.status_code == 200 and xlsform.data[:2] == b"PK"  # the .xlsx as uploaded
    assert version.source_name in xlsform.headers["Content-Disposition"]


def test_a_viewer_reads_the_forms_but_cannot_change_them(client, world, app):
    other = app.test_client()
    sign_in(other, "view1")
    page = other.get(E + "/forms/fc_household_interview").get_data(as_text=True)
    assert "Who gets this form" in page or "谁能收到此问卷" in page
    assert 'name="state"' not in page and 'name="who"' not in page
    assert 'enctype="multipart/form-data"' not in other.get(E + "/forms").get_data(as_text=True)

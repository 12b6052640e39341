"""Setting an evaluation up in a real browser (Debian's Chromium through Playwright) against `fieldcheck
serve` with its worker: publish a form that has an error (read the error where it is, fix it, publish,
and the phones list it), and create an enumerator, open their QR code, give them a new token and see the
old URL refused by the OpenRosa endpoint; axe-core on the new pages. The README's zh screenshots come from
tests/screenshots/."""
import re
import urllib.error
import urllib.request

import pytest

from server.accounts import users
from server.infra.extensions import db
from server.models import Enumerator, Form
from testkit.dashboard_world import PASSWORD, build_world
from tests.e2e.browser import browser_site, require_browser, screenshot, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

BROKEN = """| survey |
| | type | name | label::中文 (zh) | label::English (en) | media::image::中文 (zh) |
| | text | visit_note | 走访情况 | Visit notes | logo.png |
| | select_one yes_no | visit_note | 是否在家 | At home? | |
| choices |
| | list_name | name | label::中文 (zh) | label::English (en) |
| | yes_no | yes | 是 | Yes |
| | yes_no | no | 否 | No |
| settings |
| | form_id | version | form_title |
| | visit_check | 1 | 走访核查 |
"""
FIXED = BROKEN.replace("| select_one yes_no | visit_note |", "| select_one yes_no | at_home |")
LOGO = b"\x89PNG\r\n\x1a\n" + b"0" * 64


@pytest.fixture
def site(app, services):
    require_browser()
    world = build_world(app)
    with browser_site(app, services, **world) as site:
        yield site


def _signed_in(site):
    page = site["browser"].new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}).new_page()
    page.goto(site["base"] + "/login")
    page.fill("#username", "sup1")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit].primary")
    return page


def _openrosa(url):
    """The status of Collect's formList request at a server URL."""
    request = urllib.request.Request(url + "/formList", headers={"X-OpenRosa-Version": "1.0"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _upload(page, text, media=()):
    page.set_input_files("#file", files=[{"name": "visit_check.md", "mimeType": "text/markdown",
                                          "buffer": text.encode("utf-8")}])
    if media:
        page.set_input_files("#media", files=[{"name": n, "mimeType": "image/png", "buffer": b}
                                              for n, b in media])
    page.click("form.upload button[type=submit]")


def test_publish_a_form_that_has_an_error_read_it_fix_it_and_publish(site):
    page = _signed_in(site)
    page.goto(site["base"] + "/dashboard/county1/")
    page.click("header nav >> text=问卷")
    assert page.locator("h1").inner_text() == "问卷"
    _upload(page, BROKEN, [("logo.png", LOGO)])
    assert "/form-jobs/" in page.url and page.locator("progress").count() == 1  # converting, with progress
    page.wait_for_selector("#job-error", timeout=90_000)  # the page refreshed itself until the job was done
    row = page.locator("table.located tbody tr").first
    cells = [c.inner_text() for c in row.locator("td").all()]
    assert cells[:3] == ["survey", "3", "name"] and "visit_note" in cells[3] and "重复" in cells[3]
    screenshot(page, "form-error")

    page.click("text=返回问卷列表")
    _upload(page, FIXED, [("logo.png", LOGO)])
    page.wait_for_url(re.compile(r"/forms/visit_check/versions/\d+$"), timeout=90_000)
    assert "转换完成" in page.locator(".flash").first.inner_text()
    assert page.locator(".heading .badge").inner_text() == "草稿"
    assert page.locator("tr.media-present").count() == 1  # logo.png came with the XLSForm
    assert page.locator("tr[data-check='consent'].unsupported").count() == 1  # the form has no consent field
    screenshot(page, "form-draft")
    page.click("#publish")
    assert "已发布" in page.locator(".flash").first.inner_text()
    assert page.locator("#phones-get").inner_text().startswith("手机获取的是版本 1")
    enumerator = db.session.query(Enumerator).filter_by(username="enum1").one()
    status, listing = _openrosa(f"{site['base']}/key/{users.current_token(enumerator)}/county1")
    assert status == 200 and "<formID>visit_check</formID>" in listing  # the phones get it now

    page.goto(site["base"] + "/dashboard/county1/forms")
    assert page.locator("tr[data-form='visit_check']").count() == 1
    screenshot(page, "forms")


def test_create_an_enumerator_open_their_qr_code_and_a_new_token_refuses_the_old_url(site):
    page = _signed_in(site)
    page.goto(site["base"] + "/dashboard/county1/enumerators")
    page.fill("#f-username", "wangfang")
    page.fill("#f-display_name", "王芳")
    page.fill("#f-phone", "13800001111")
    page.fill("#f-team", "二组")
    page.fill("#f-county", "延庆区")
    page.fill("#f-county_code", "11011")  # one digit short: refused next to the field
    page.click("#new-enumerator button[type=submit]")
    assert "6 位数字" in page.locator("#county_code-error").inner_text()
    assert page.input_value("#f-display_name") == "王芳"  # what was typed is kept
    page.fill("#f-county_code", "110119")
    page.click("#new-enumerator button[type=submit]")

    assert page.url.endswith("/enumerators/wangfang/qr")
    qr = page.locator("img#qr")
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=qr.element_handle())
    old = page.locator("#server-url").inner_text()
    assert "/key/" in old and old.endswith("/county1")
    assert _openrosa(old)[0] == 200

    page.click("text=返回调查员")
    page.click("#rotate")
    assert page.url.endswith("/enumerators/wangfang/qr")
    assert "旧二维码" in page.locator(".flash").first.inner_text()
    new = page.locator("#server-url").inner_text()
    assert new != old
    status, body = _openrosa(old)
    assert status == 403 and "revoked" in body  # the old QR code stopped at once
    assert _openrosa(new)[0] == 200

    page.goto(site["base"] + "/dashboard/county1/enumerators")
    assert page.locator("tr[data-username='wangfang']").count() == 1
    screenshot(page, "enumerators")
    page.goto(site["base"] + "/dashboard/county1/enumerators/enum1")
    screenshot(page, "enumerator")


def test_the_new_pages_pass_axe_and_load_nothing_from_outside(site):
    page = site["browser"].new_context(locale="zh-CN", bypass_csp=True).new_page()  # axe is injected
    page.goto(site["base"] + "/login")
    page.fill("#username", "sup1")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit].primary")
    version = db.session.query(Form).filter_by(xml_form_id="fc_household_interview").one().current_version_id
    paths = ["/dashboard/county1/forms", "/dashboard/county1/forms/fc_household_interview",
             f"/dashboard/county1/forms/fc_household_interview/versions/{version}",
             "/dashboard/county1/enumerators", "/dashboard/county1/enumerators/enum1",
             "/dashboard/county1/enumerators/enum1/qr"]
    problems = {}
    for path in paths:
        page.goto(site["base"] + path)
        assert page.locator("h1").count() == 1, path
        outside = page.evaluate("""() => [...document.querySelectorAll('[src],[href]')]
            .map(e => e.src || e.href)
            .filter(u => u && !u.startsWith(location.origin) && !u.startsWith('data:'))""")
        assert outside == [], (path, outside)
        found = serious_violations(page)
        if found:
            problems[path] = found
    assert not problems, problems

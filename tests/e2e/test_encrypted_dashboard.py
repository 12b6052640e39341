"""Encrypted interviews on the dashboard, in a real browser against `fieldcheck serve` (issue 16): the
interview list shows them as "encrypted, not checked" (a filter finds them), the figures page says how many
are not counted; after a decryption run (API) they are checked and counted, and the note is gone."""
import time

import pytest

from tests.e2e.browser import browser_site, require_browser, screenshot
from tests.integration.counting.conftest import make_county, publish_encrypted_interview_form
from tests.integration.counting.test_decryption_run import URL, _pem
from tests.integration.recusal.conftest import PASSWORD, run_worker, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def site(app, services, client):
    require_browser()
    county = make_county(publish_encrypted_interview_form)
    waiting = [county.encrypted_interview(client, i) for i in (0, 1)]
    run_worker()
    sign_in(client, "viewer1", "viewer", county.evaluation)
    with browser_site(app, services, county=county, waiting=waiting) as site:
        yield site


def test_encrypted_interviews_are_listed_and_said_not_counted_until_decrypted(site, client):
    context = site["browser"].new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site["base"] + "/")
    page.fill("#username", "viewer1")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit].primary")
    base = site["base"] + "/dashboard/county1"
    page.goto(base + "/figures?level=evaluation")
    note = page.locator("#encrypted-note")
    assert "2 份加密访谈" in note.inner_text() and "不计入" in note.inner_text()
    screenshot(page, "figures-encrypted")
    note.locator("a").click()
    assert "status=encrypted_not_checked" in page.url
    rows = page.locator("table.interviews tbody tr")
    assert rows.count() == 2
    assert {rows.nth(i).locator(".badge").inner_text() for i in range(2)} == {"已加密，未检查"}
    screenshot(page, "interviews-encrypted")

    supervisor = sign_in(client, "sup1", "supervisor", site["county"].evaluation)
    assert client.post(URL, headers=supervisor, json={"private_key": _pem()}).json["decrypted"] == 2
    run_worker()
    deadline = time.monotonic() + 30
    page.goto(base + "/figures?level=evaluation")
    while page.locator("#encrypted-note").count() and time.monotonic() < deadline:
        time.sleep(0.5)  # the served worker may hold the events a moment
        page.reload()
    assert page.locator("#encrypted-note").count() == 0
    assert "计入 2 份访谈" in page.locator("section.area h2 small").first.inner_text()
    page.goto(base + "/interviews")
    badges = page.locator("table.interviews tbody tr .badge")
    assert {badges.nth(i).inner_text() for i in range(badges.count())} == {"无问题"}

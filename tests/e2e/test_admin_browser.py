"""The admin's pages in a real browser (Debian's Chromium through Playwright) against `fieldcheck serve`:
create a viewer on the Users page and see they cannot act; change a rule parameter on the Settings page,
start the re-check it offers, follow its progress and see the interviews' findings re-checked; the audit
log shows both; axe-core finds nothing serious on the three pages."""
import re

import pytest

from testkit.dashboard_world import build_world
from testkit.factories import make_user
from tests.e2e.browser import browser_site, require_browser, screenshot, serious_violations
from tests.e2e.test_dashboard_browser import _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
E = "/dashboard/county1"


@pytest.fixture
def site(app, services):
    require_browser()
    world = build_world(app)
    make_user("boss", "admin", world["evaluation"])  # an admin of this evaluation, not a site admin
    with browser_site(app, services, **world) as site:
        yield site


def _page(site, **context):
    context = site["browser"].new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, **context)
    return context.new_page()


def test_an_admin_creates_a_viewer_who_cannot_act(site):
    admin = _page(site)
    _sign_in(admin, site, "boss", path=E + "/")
    admin.click("header nav >> text=用户")
    assert admin.locator("h1").inner_text() == "用户与角色"
    admin.fill("#new-username", "Guan Yu")  # refused, next to the field
    admin.click("form.fields button.primary")
    assert "用户名为 2 至 80 个小写字母" in admin.locator("#new-username-error").inner_text()
    assert admin.locator("#new-username").get_attribute("aria-invalid") == "true"
    admin.fill("#new-username", "guan")
    admin.fill("#new-display-name", "关查看")
    admin.select_option("#new-role", "viewer")
    admin.click("form.fields button.primary")
    password = admin.locator("#new-password").inner_text()
    assert len(password) >= 10 and "/users/new-password/" in admin.url
    screenshot(admin, "users-new-password")
    admin.reload()
    assert admin.locator("#new-password").count() == 0  # shown once
    admin.click("text=返回用户列表")
    row = admin.locator("tr[data-username=guan]")
    assert "只读用户" in row.locator("select option[selected]").inner_text()
    screenshot(admin, "users")

    viewer = _page(site)
    _sign_in(viewer, site, "guan", password, path=f"{E}/interviews/{site['flagged']}")
    assert viewer.locator("#read-only").is_visible() and viewer.locator("form.review").count() == 0
    nav = viewer.locator("header nav").inner_text()
    assert "用户" not in nav and "设置" not in nav
    for path in ("/users", "/settings", "/audit"):
        viewer.goto(site["base"] + E + path)
        assert viewer.locator("h1").inner_text().startswith("无权进行此操作"), path

    row.locator("button", has_text="停用").click()
    assert "已停用 guan" in admin.locator(".flash").first.inner_text()
    viewer.goto(site["base"] + E + "/")
    assert "/login" in viewer.url  # their session ended with the deactivation
    admin.goto(site["base"] + E + "/audit?action=user")
    log = admin.locator("table.audit tbody").inner_text()
    assert "user.deactivate" in log and "user.create" in log and "user:boss" in log
    screenshot(admin, "audit")


def test_a_rule_parameter_change_and_its_findings_rechecked(site):
    page = _page(site)
    _sign_in(page, site, "boss", path=f"{E}/interviews/{site['clean']}")
    assert "TIM-01" not in page.locator("main").inner_text()
    page.click("header nav >> text=设置")
    field = page.locator("[name='rules.TIM-01.min_minutes']")
    assert field.input_value() == "15"
    assert "开始到结束的时长短于下限" in page.locator("#rule-TIM-01 .explanation").inner_text()
    assert "The time from start to end" in page.locator("#rule-TIM-01 .other-language").inner_text()
    field.fill("四十")  # not a number: refused next to the field, nothing saved
    page.click("#rules button[type=submit].primary")
    assert page.locator("[id='rules.TIM-01.min_minutes-error']").inner_text() == "请输入数字。"
    assert page.locator("#settings-refused").is_visible()
    screenshot(page, "settings-refused")
    page.locator("[name='rules.TIM-01.min_minutes']").fill("40")  # the world's interviews took 35 minutes
    page.click("#rules button[type=submit].primary")
    assert "在重新检查访谈之前" in page.locator(".flash").first.inner_text()
    assert page.locator("[name='rules.TIM-01.min_minutes']").input_value() == "40"
    screenshot(page, "settings")
    page.click("#recheck-due button")
    assert "/settings/recheck/" in page.url and page.locator("progress").count() == 1
    screenshot(page, "recheck-progress")
    page.wait_for_selector("#job-done", timeout=90_000)  # the page refreshes itself while the worker runs
    assert re.search(r"已重新检查 3 / 3 份访谈", page.locator("#job-count").inner_text())
    screenshot(page, "recheck-done")
    page.goto(f"{site['base']}{E}/interviews/{site['clean']}")
    findings = page.locator(".findings").inner_text()
    assert "TIM-01" in findings and "下限40分钟" in findings
    assert page.locator(".heading .badge").inner_text() == "待审核"
    page.goto(site["base"] + E + "/audit?action=rules")
    assert "rules.settings" in page.locator("table.audit").inner_text()


def test_the_admin_pages_pass_axe(site):
    checker = _page(site, bypass_csp=True)  # axe is injected into the page, which the CSP forbids
    _sign_in(checker, site, "boss")
    problems = {}
    for path in ("/users", "/audit", "/settings"):
        checker.goto(site["base"] + E + path)
        outside = checker.evaluate("""() => [...document.querySelectorAll('[src],[href]')]
            .map(e => e.src || e.href).filter(u => u && !u.startsWith(location.origin))""")
        assert outside == [], (path, outside)
        found = serious_violations(checker)
        if found:
            problems[path] = found
    assert not problems, problems

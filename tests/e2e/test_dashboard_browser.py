"""The dashboard in a real browser (Debian's Chromium through Playwright) against `fieldcheck serve`:
sign-in, a wrong password, lockout, the language switch, filtering, a flagged interview with its photo and
map, clearing it and seeing the figure change, a figure opening its interviews, a viewer who cannot act,
another evaluation's user refused, a <script> answer that never runs, and axe-core on the main pages."""
import re

import pytest

from testkit.dashboard_world import PASSWORD, XSS, build_world
from tests.e2e.browser import browser_site, require_browser, screenshot, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def site(app, services):
    require_browser()
    world = build_world(app)
    with browser_site(app, services, **world) as site:
        yield site


def _page(site, **context):
    context = site["browser"].new_context(locale="zh-CN", viewport={"width": 1280, "height": 900}, **context)
    return context.new_page()


def _sign_in(page, site, username, password=PASSWORD, path="/"):
    page.goto(site["base"] + path)
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("form button[type=submit].primary")


def test_sign_in_wrong_password_lockout_and_language(site):
    page = _page(site)
    page.goto(site["base"] + "/dashboard/county1/interviews?status=review")
    assert "/login" in page.url and page.locator("h1").inner_text() == "登录"  # Chinese by default
    screenshot(page, "sign-in")
    _sign_in(page, site, "sup1", "not the password", path=page.url[len(site["base"]):])
    wrong = page.locator("#signin-error").inner_text()
    assert wrong == "用户名或密码错误。"
    _sign_in(page, site, "nobody-here", "whatever it is")
    assert page.locator("#signin-error").inner_text() == wrong  # the same for an unknown user
    for _ in range(5):  # MAX_FAILED_LOGINS
        _sign_in(page, site, "view1", "wrong again, sorry")
    assert "锁定" in page.locator("#signin-error").inner_text()
    _sign_in(page, site, "view1")  # the right password does not open a locked account
    assert "锁定" in page.locator("#signin-error").inner_text() and "/login" in page.url

    _sign_in(page, site, "sup1", path="/login?next=/dashboard/county1/interviews%3Fstatus%3Dreview")
    assert page.url.endswith("/dashboard/county1/interviews?status=review")  # back where it was going
    page.click("button[name=language][value=en]")
    assert page.locator("h1").inner_text() == "Interviews"
    page.reload()
    assert page.locator("h1").inner_text() == "Interviews"  # the choice is remembered
    page.click("button[name=language][value=zh_Hans]")
    assert page.locator("h1").inner_text() == "访谈"


def test_an_open_redirect_is_refused(site):
    page = _page(site)
    _sign_in(page, site, "sup1", path="/login?next=//example.com/x")
    assert page.url == site["base"] + "/"


def test_review_a_flagged_interview_and_see_the_figure_change(site):
    page = _page(site)
    _sign_in(page, site, "sup1")
    base = site["base"] + "/dashboard/county1"
    page.goto(base + "/figures?level=evaluation")
    counted_before = _counted(page)
    page.goto(base + "/interviews")
    assert page.locator("table.interviews tbody tr").count() == 3
    page.select_option("select[name=status]", "review")
    page.click("form.filters button[type=submit]")
    assert "status=review" in page.url  # the filter is in the URL, so a link can be sent
    rows = page.locator("table.interviews tbody tr")
    assert rows.count() == 1
    screenshot(page, "interviews")
    rows.first.locator("a").first.click()
    assert site["flagged"] in page.url
    assert "GPS-03" in page.locator(".findings").inner_text()
    photo = page.locator("img.photo").first
    photo.scroll_into_view_if_needed()
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=photo.element_handle())
    assert page.evaluate("(img) => img.naturalWidth", photo.element_handle()) == 64  # the stored JPEG
    assert page.locator("svg.map circle.map-point").count() == 3
    assert re.search(r"相距 \d+ 米", page.locator(".legend").inner_text())
    screenshot(page, "interview")
    page.fill("#reason", "电话核实：农户在地里干活，在田间访谈")
    page.click("button[name=action][value=clear]")
    assert page.locator(".flash").first.inner_text() == "已保存。"
    assert page.locator(".heading .badge").inner_text() == "已解除"
    assert "电话核实" in page.locator(".activity").inner_text()
    page.goto(base + "/figures?level=evaluation")
    assert _counted(page) == counted_before + 1
    screenshot(page, "figures")
    page.locator("tr[data-figure=exit_accuracy] a.denominator").click()
    assert "/figures/exit_accuracy/interviews" in page.url
    assert page.locator("tbody tr").count() >= 1
    assert site["flagged"] in page.locator("tbody").inner_text()


def _counted(page):
    text = page.locator("section.area h2 small").first.inner_text()
    return int(re.search(r"计入 (\d+) 份访谈", text).group(1))


def test_a_decision_made_meanwhile_is_not_overwritten(site):
    first, second = _page(site), _page(site)
    for page in (first, second):
        _sign_in(page, site, "sup1", path=f"/dashboard/county1/interviews/{site['flagged']}")
    first.fill("#reason", "核实无误，可以通过审核")
    first.click("button[name=action][value=clear]")
    second.fill("#reason", "定位偏差太大，剔除这份访谈")
    second.click("button[name=action][value=exclude]")
    assert "另一位督导" in second.locator(".flash.error").inner_text()
    assert second.locator(".heading .badge").inner_text() == "已解除"


def test_viewer_other_evaluation_script_answer_and_accessibility(site):
    viewer = _page(site)
    _sign_in(viewer, site, "view1", path=f"/dashboard/county1/interviews/{site['flagged']}")
    assert viewer.locator("#read-only").is_visible()
    assert viewer.locator("form.review").count() == 0

    other = _page(site)
    _sign_in(other, site, "other1", path=f"/dashboard/county1/interviews/{site['flagged']}")
    assert other.locator("h1").inner_text().startswith("页面不存在")
    assert site["households"][1] not in other.content()

    page = _page(site)
    _sign_in(page, site, "sup1", path=f"/dashboard/county1/interviews/{site['hostile']}")
    assert page.evaluate("() => window.__xss") is None  # neither the script nor the onerror ran
    assert XSS in page.locator("table.answers").first.inner_text() or \
        XSS in " ".join(page.locator("table.answers").all_inner_texts())

    checker = _page(site, bypass_csp=True)  # axe is injected into the page, which the CSP forbids
    _sign_in(checker, site, "sup1")
    paths = ["/", "/dashboard/county1/", "/dashboard/county1/interviews",
             f"/dashboard/county1/interviews/{site['flagged']}", "/dashboard/county1/figures",
             "/dashboard/county1/enumerators"]
    problems = {}
    for path in paths:
        checker.goto(site["base"] + path)
        outside = checker.evaluate("""() => [...document.querySelectorAll('[src],[href]')]
            .map(e => e.src || e.href).filter(u => u && !u.startsWith(location.origin))""")
        assert outside == [], (path, outside)
        found = serious_violations(checker)
        if found:
            problems[path] = found
    assert not problems, problems
    checker.goto(site["base"] + "/dashboard/county1/")
    screenshot(checker, "overview")

"""An interview the pipeline could not read (issue 14: a poison answer fails at once) shows the supervisor
why, in a real browser (Debian's Chromium through Playwright) against `fieldcheck serve`."""
import pytest

from server.infra.extensions import db
from server.models import Enumerator
from testkit.dashboard_world import PASSWORD, build_world
from testkit.figures_factories import run_worker
from testkit.recusal_factories import interview_fields, submit
from tests.e2e.browser import browser_site, require_browser, screenshot, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


@pytest.fixture
def site(app, services):
    require_browser()
    world = build_world(app)
    evaluation = world["evaluation"]
    enumerator = db.session.query(Enumerator).filter_by(evaluation_id=evaluation.id, username="enum1").one()
    poison = submit(evaluation, enumerator, interview_fields(None, household__hh_size="NaN"))
    run_worker()
    with browser_site(app, services, poison=poison.instance_id, **world) as site:
        yield site


def test_the_supervisor_sees_why_an_interview_could_not_be_read(site):
    context = site["browser"].new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                          bypass_csp=True)  # axe is injected, which the CSP forbids
    page = context.new_page()
    page.goto(site["base"] + f"/dashboard/county1/interviews/{site['poison']}")
    page.fill("#username", "sup1")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit].primary")
    problem = page.locator("#processing-problem")
    assert problem.is_visible()
    assert "这份访谈无法处理，系统不会自动重试。" in problem.inner_text()
    assert problem.locator("tbody tr").all_inner_texts() == ["/data/household/hh_size\tinteger\tNaN"]
    assert serious_violations(page) == []
    screenshot(page, "interview-processing-problem")
    page.click("button[name=language][value=en]")
    english = page.locator("#processing-problem").inner_text()
    assert "could not be processed and will not be tried again" in english

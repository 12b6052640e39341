"""The register and the samples in a real browser (Debian's Chromium through Playwright) against `fieldcheck
serve`: a register file with one bad row is refused whole with the row named, the corrected file imports;
a sample is drawn (a double click draws one), refused for an enumerator of the place with the reason shown,
assigned to another, and that enumerator's phone gets the sampled households in its register file."""
import csv
import io
import os

import pytest
from PIL import Image

from server.infra.extensions import db
from server.models import Household, HouseholdToken, Sample, SampleUnit
from testkit.collect_client import CollectClient
from testkit.dashboard_world import PASSWORD, build_world
from testkit.factories import make_enumerator
from testkit.household_factories import make_records
from testkit.recusal_factories import make_households
from testkit.register_files import PLAIN, csv_bytes, register_rows
from tests.e2e.browser import browser_site, require_browser, screenshot, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
DOCS = os.path.join(os.path.dirname(__file__), "..", "..", "docs")
FORM_ID = "fc_household_interview"


@pytest.fixture
def site(app, services):
    require_browser()
    world = build_world(app)
    make_households(world["evaluation"], 6, village=3)  # not interviewed yet
    _, local = make_enumerator(world["evaluation"], "local1", display_name="本地调查员", county="阿尔山市",
                               county_code="150782", township="白狼镇")
    _, token = make_enumerator(world["evaluation"], "wang", display_name="王调查员", county="凉城县",
                               county_code="150925")
    with browser_site(app, services, wang=token, **world) as site:
        yield site


def _page(site):
    context = site["browser"].new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(site["base"] + "/login")
    page.fill("#username", "sup1")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit].primary")
    return page


def _file(rows):
    return {"name": "登记册.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}


def _households():
    db.session.rollback()  # see what the server committed
    return db.session.query(Household).count()


def test_import_a_register_with_a_bad_row_then_the_corrected_one(site):
    page = _page(site)
    page.goto(site["base"] + "/dashboard/county1/households")
    page.click("text=导入登记文件")
    records = make_records(4, village=2)
    rows = register_rows(records)
    rows[3][PLAIN.index("status")] = "脱贫了"  # the third household, line 4 of the file
    before = _households()
    page.set_input_files("#file", files=[_file(rows)])
    page.click("#import-form button[type=submit]")
    errors = page.locator("#import-errors tbody tr")
    assert errors.count() == 1 and _households() == before
    assert errors.first.get_attribute("data-line") == "4"
    row = errors.first.inner_text()
    assert records[2]["archive_id"] in row and "status" in row and "必须是以下之一" in row
    assert "未导入任何数据" in page.locator("#import-errors").inner_text()
    screenshot(page, "register-import-errors")

    rows[3][PLAIN.index("status")] = records[2]["status"]
    page.set_input_files("#file", files=[_file(rows)])
    page.click("#import-form button[type=submit]")
    assert page.url.endswith("/dashboard/county1/households")
    assert "新增 4 户" in page.locator(".flash").first.inner_text() and _households() == before + 4
    page.fill("input[name=q]", records[2]["head_name"])
    page.click("form.filters button[type=submit]")
    page.click(f"text={records[2]['archive_id']}")
    assert page.locator("table.members tbody tr").count() == len(records[2]["members"])
    masked = page.locator("table.members td.masked").first.inner_text()
    assert "*" in masked and records[2]["members"][0]["id_number"] not in page.content()


def test_draw_a_sample_assign_it_and_see_it_on_the_enumerators_phone(site):
    page = _page(site)
    page.goto(site["base"] + "/dashboard/county1/samples")
    page.fill("#name", "春季复核")
    page.fill("#seed", "2026-spring")
    page.fill("#size", "2")
    page.dblclick("#draw-form button[type=submit]")  # a double click draws one sample
    page.wait_for_url("**/samples/*")
    db.session.rollback()
    assert db.session.query(Sample).filter_by(name="春季复核").count() == 1
    assert page.locator("#seed").inner_text() == "2026-spring"
    assert "--seed 2026-spring" in page.locator("#reproduce").text_content()
    units = page.locator("table.units tbody tr")
    drawn = units.count()
    assert drawn >= 2

    page.select_option("#enumerator", "local1")
    page.click("#assign-form button[type=submit]")
    refusals = page.locator("#refusals li")
    assert refusals.count() == drawn
    assert "来自同一县（阿尔山市）：调查员不在本县调查" in refusals.first.inner_text()
    assert "未分配任何样本" in page.locator("#enumerator-error").inner_text()
    screenshot(page, "sample-refused")

    page.select_option("#enumerator", "wang")
    page.click("#assign-form button[type=submit]")
    assert f"已将 {drawn} 个样本单位分配给 王调查员" in page.locator(".flash").first.inner_text()
    assert page.locator("table.units tbody tr[data-state=unassigned]").count() == 0
    _screenshot_for_docs(page)
    checker = site["browser"].new_context(bypass_csp=True, locale="zh-CN").new_page()
    checker.context.add_cookies(page.context.cookies())
    checker.goto(page.url)
    assert serious_violations(checker) == []

    db.session.rollback()
    sample = db.session.query(Sample).filter_by(name="春季复核").one()
    expected = {(t, h) for t, h in db.session.query(HouseholdToken.token, Household.head_name)
                .join(Household).join(SampleUnit, SampleUnit.household_id == Household.id)
                .filter(SampleUnit.sample_id == sample.id, HouseholdToken.revoked_at.is_(None))}
    phone = CollectClient(f"{site['base']}/key/{site['wang']}/county1")
    entry = next(e for e in phone.form_list() if e.form_id == FORM_ID)
    media = {m.filename: m for m in phone.manifest(entry)}
    register = list(csv.DictReader(io.StringIO(phone.download_media(media["fc_households.csv"]).decode())))
    assert {(r["name"], r["head_name"]) for r in register} == expected


def _screenshot_for_docs(page):
    """The sample page in Chinese; with FIELDCHECK_DOCS_SCREENSHOTS=1 for the README too (64 colours)."""
    screenshot(page, "sample")
    if os.environ.get("FIELDCHECK_DOCS_SCREENSHOTS") != "1":
        return
    path = os.path.join(DOCS, "dashboard-sample.png")
    page.screenshot(path=path, full_page=True)
    Image.open(path).convert("RGB").quantize(64).save(path, optimize=True)

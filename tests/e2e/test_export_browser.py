"""An export from the dashboard in a real browser (Debian's Chromium through Playwright) against `fieldcheck
serve`: choose the form and a ZIP with media (tables as XLSX, English labels), start it, watch the page
follow the job while it waits for the worker and then runs, download the file and open it: every
interview's row and plain answers, the label row, and every photo, against the submissions."""
import io
import os
import signal
import zipfile

import openpyxl
import pytest

from server.infra.extensions import db
from server.models import Attachment, Submission
from testkit.dashboard_world import PASSWORD, build_world
from testkit.recusal_factories import FORM_ID
from tests.e2e.browser import browser_site, require_browser, screenshot, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

# Each change of the page's state line, as the page's own script makes it (no reload in between).
WATCH = """() => {
  window.__seen = [document.getElementById('export-text').textContent];
  new MutationObserver(() => window.__seen.push(document.getElementById('export-text').textContent))
    .observe(document.getElementById('export-text'), {childList: true, characterData: true, subtree: true});
}"""


@pytest.fixture
def site(app, services):
    require_browser()
    world = build_world(app)
    with browser_site(app, services, **world) as site:
        yield site


def _worker_pid(serve_process):
    """The pid of the worker `fieldcheck serve` started (its child running `server worker`)."""
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{name}/cmdline", "rb") as cmdline:
                argv = cmdline.read().split(b"\0")
        except OSError:
            continue
        if parent == serve_process.pid and b"worker" in argv:
            return int(name)
    raise AssertionError("fieldcheck serve has no worker process")


def test_start_watch_download_and_open_an_export(site, tmp_path):
    context = site["browser"].new_context(locale="zh-CN", viewport={"width": 1280, "height": 900},
                                          accept_downloads=True)
    page = context.new_page()
    page.goto(site["base"] + "/dashboard/county1/exports")
    page.fill("#username", "sup1")
    page.fill("#password", PASSWORD)
    page.click("form button[type=submit].primary")
    assert page.locator("h1").inner_text() == "导出"
    page.select_option("#export-form", FORM_ID)
    page.select_option("#export-format", "zip")
    page.select_option("select[name=tables]", "xlsx")
    page.select_option("select[name=labels]", "en")
    screenshot(page, "exports")

    worker = _worker_pid(site["serve"])
    os.kill(worker, signal.SIGSTOP)  # the worker is busy elsewhere: the export waits in its queue
    try:
        page.click("form.export-form button[type=submit]")
        assert "/dashboard/county1/exports/" in page.url
        assert page.locator("#export-text").inner_text() == "等待后台任务处理…"
        assert page.locator("#export-download").is_hidden()
        page.evaluate(WATCH)
        page.evaluate("() => { window.__same_page = true; }")
    finally:
        os.kill(worker, signal.SIGCONT)
    page.locator("#export-download").wait_for(state="visible", timeout=60_000)
    assert page.evaluate("() => window.__same_page") is True  # the script followed it, no reload
    assert page.evaluate("() => document.getElementById('export-progress').value") == 100
    seen = page.evaluate("() => window.__seen")
    assert seen[0] == "等待后台任务处理…" and seen[-1].startswith("完成：已导出 3 份访谈")
    assert page.locator("#export-state").inner_text() == "已完成"
    assert page.locator("#export-link").inner_text() == f"下载 {FORM_ID}.zip"
    screenshot(page, "export-done")

    with page.expect_download() as started:
        page.click("#export-link")
    download = started.value
    assert download.suggested_filename == f"{FORM_ID}.zip"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    _check_against_the_submissions(zipfile.ZipFile(path), site["photo"])

    page.goto(site["base"] + "/dashboard/county1/exports")
    assert page.locator("table.exports tbody tr").count() == 1
    assert page.locator("table.exports tbody tr a", has_text=f"{FORM_ID}.zip").count() == 1
    job_path = page.locator("table.exports tbody tr a").first.get_attribute("href")
    _accessible(site, ["/dashboard/county1/exports", job_path])


def _accessible(site, paths):
    checker = site["browser"].new_context(locale="zh-CN", bypass_csp=True).new_page()  # axe is injected
    checker.goto(site["base"] + paths[0])
    checker.fill("#username", "sup1")
    checker.fill("#password", PASSWORD)
    checker.click("form button[type=submit].primary")
    problems = {}
    for path in paths:
        checker.goto(site["base"] + path)
        found = serious_violations(checker)
        if found:
            problems[path] = found
    assert not problems, problems


def _check_against_the_submissions(archive, photo):
    names = archive.namelist()
    book = openpyxl.load_workbook(io.BytesIO(archive.read(f"{FORM_ID}.xlsx")), read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    header, labels, body = rows[0], rows[1], rows[2:]
    assert labels[header.index("KEY")] == "Instance ID"  # the label row in the language chosen
    db.session.expire_all()
    submissions = {s.instance_id: s for s in db.session.query(Submission)}
    assert sorted(r[header.index("KEY")] for r in body) == sorted(submissions)
    compared = 0
    for row in body:
        submission = submissions[row[header.index("KEY")]]
        assert row[header.index("ReviewStatus")] == submission.review_status
        data = submission.answers["data"]
        for column, cell in zip(header, row):
            value = data.get(column.replace("-", "/"))
            if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value != "":
                assert _same(cell, value), (submission.instance_id, column, cell, value)
                compared += 1
    assert compared >= 3 * 30  # the plain answers of every interview were compared cell by cell
    attachments = db.session.query(Attachment).join(Submission).all()
    assert attachments
    for attachment in attachments:
        folder = attachment.submission.instance_id.replace("uuid:", "")
        member = f"media/{folder}/{attachment.name}"
        assert member in names and archive.read(member) == photo


def _same(cell, value):
    if isinstance(value, (int, float)) or isinstance(cell, (int, float)):
        return float(cell) == float(value)
    return cell == value

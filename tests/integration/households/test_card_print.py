"""Printed things print: rendered by Chromium to an A4 PDF, a village's QR card sheet has one page per 12
cards, every card whole on its page with nothing outside its box and the head's name and village in
Chinese on each; the enumerators' provisioning sheet has two a page, each QR large and scannable."""
import base64
import io
import math
import os
import unicodedata

import zxingcpp
from PIL import Image
from pypdf import PdfReader

from server.accounts.devices import decode_payload
from testkit.factories import make_enumerator
from testkit.household_factories import make_records
from tests.e2e.browser import ARGS, CHROMIUM, require_browser
from tests.integration.households.conftest import post_batch

MM = 96 / 25.4  # CSS pixels per millimetre


def _browser(playwright):
    require_browser()  # skips with the reason locally, fails in CI
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)


# A long name and a long village, as real registers have, must not push anything off the card.
LONG = {"head_name": "欧阳娜仁其其格", "village": "额尔古纳河右岸第一生产合作社村"}


def test_the_card_sheet_prints_on_a4_with_nothing_outside_the_page(client, bearer, evaluation, runner,
                                                                   tmp_path):
    from playwright.sync_api import sync_playwright

    records = make_records(27, village=4)
    records[0]["members"][0]["name"] = records[0]["head_name"] = LONG["head_name"]
    for record in records:
        record["village"] = LONG["village"]
    assert post_batch(client, bearer, records).status_code == 200
    out = tmp_path / "cards.html"
    result = runner.invoke(args=["households", "cards", "county1", records[0]["village_code"],
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output

    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page()
        page.goto(out.as_uri())
        page.emulate_media(media="print")
        boxes = page.evaluate("""() => [...document.querySelectorAll('.card')].map(card => ({
            id: card.dataset.archiveId,
            page: [...document.querySelectorAll('.page')].indexOf(card.closest('.page')),
            overflows: card.scrollHeight > card.clientHeight + 1 || card.scrollWidth > card.clientWidth + 1,
            card: card.getBoundingClientRect().toJSON(),
            sheet: card.closest('.page').getBoundingClientRect().toJSON(),
            qr: card.querySelector('img').getBoundingClientRect().width}))""")
        pages = page.evaluate("() => [...document.querySelectorAll('.page')].map(p => "
                              "({h: p.scrollHeight, w: p.scrollWidth}))")
        pdf = page.pdf(prefer_css_page_size=True)
        if os.environ.get("FIELDCHECK_SCREENSHOTS"):  # for a person to look at
            page.screenshot(path=os.path.join(os.environ["FIELDCHECK_SCREENSHOTS"], "cards.png"),
                            full_page=True)
        browser.close()

    expected_pages = math.ceil(len(records) / 12)
    assert len(pages) == expected_pages
    for sheet in pages:  # the printable area of A4 with 10 mm margins: 190 x 277 mm
        assert sheet["h"] <= 277 * MM + 1 and sheet["w"] <= 190 * MM + 1, sheet
    for box in boxes:
        assert not box["overflows"], box["id"]
        card, sheet = box["card"], box["sheet"]
        assert sheet["top"] - 1 <= card["top"] and card["bottom"] <= sheet["top"] + 277 * MM + 1, box["id"]
        assert card["right"] <= sheet["left"] + 190 * MM + 1, box["id"]
        assert box["qr"] >= 40 * MM - 1  # big enough to scan in a dim room

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == expected_pages
    width, height = (float(v) / 72 * 25.4 for v in reader.pages[0].mediabox[2:])
    assert round(width) == 210 and round(height) == 297
    # NFKC: the PDF's text layer may name CJK glyphs by their Kangxi-radical code points (⼾ for 户).
    texts = [unicodedata.normalize("NFKC", p.extract_text()) for p in reader.pages]
    by_page = {}
    for box in boxes:
        by_page.setdefault(box["page"], []).append(box["id"])
    for number, ids in by_page.items():
        assert all(archive_id in texts[number] for archive_id in ids), number
    assert LONG["head_name"] in texts[0] and "额尔古纳" in texts[0]


def test_the_enumerator_sheet_prints_two_a_page_and_every_qr_scans(evaluation, runner, tmp_path):
    from playwright.sync_api import sync_playwright

    for n in range(3):
        make_enumerator(evaluation, f"enum{n}", display_name=f"调查员{n} 额尔古纳河右岸第一生产合作社长名字")
    out = tmp_path / "enumerators.html"
    result = runner.invoke(args=["enumerators", "sheet", "county1", "--out", str(out)])
    assert result.exit_code == 0 and "(3 enumerators)" in result.output, result.output
    with sync_playwright() as playwright:
        browser = _browser(playwright)
        page = browser.new_page()
        page.goto(out.as_uri())
        page.emulate_media(media="print")
        entries = page.evaluate("""() => [...document.querySelectorAll('.entry')].map(e => ({
            user: e.dataset.username,
            overflows: e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1,
            bottom: e.getBoundingClientRect().bottom - e.closest('.page').getBoundingClientRect().top,
            qr: e.querySelector('img').getBoundingClientRect().width,
            png: e.querySelector('img').src}))""")
        pdf = page.pdf(prefer_css_page_size=True)
        if os.environ.get("FIELDCHECK_SCREENSHOTS"):
            page.screenshot(path=os.path.join(os.environ["FIELDCHECK_SCREENSHOTS"], "enumerators.png"),
                            full_page=True)
        browser.close()
    assert [e["user"] for e in entries] == ["enum0", "enum1", "enum2"]
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 2
    for entry in entries:
        assert not entry["overflows"] and entry["bottom"] <= 277 * MM + 1, entry
        assert entry["qr"] >= 80 * MM - 1
        png = base64.b64decode(entry["png"].split(",", 1)[1])
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
        settings = decode_payload(decoded[0].text)
        assert settings["general"]["server_url"].startswith("http://fieldcheck.test/key/")

"""QR cards: the village print sheet decodes, the public page shows little, cards can be reissued."""
import base64
import io
import re

import zxingcpp
from PIL import Image

from server.infra.extensions import db
from server.households.tokens import resolve
from testkit.factories import make_user
from testkit.household_factories import make_records
from tests.integration.households.conftest import post_batch, sign_in


def test_a_300_household_sheet_renders_and_every_qr_resolves(client, bearer, evaluation):
    records = make_records(300, village=7)
    for start in (0, 150):
        assert post_batch(client, bearer, records[start:start + 150]).status_code == 200
    code = records[0]["village_code"]
    sheet = client.get(f"/api/v1/evaluations/county1/villages/{code}/cards", headers=bearer)
    assert sheet.status_code == 200 and sheet.mimetype == "text/html"
    html = sheet.get_data(as_text=True)
    cards = re.findall(r'data-archive-id="([^"]+)">\s*<img alt="[^"]*" src="data:image/png;base64,([^"]+)"'
                       r'>\s*<div class="line head">户主 ([^<]*)</div>', html)
    assert len(cards) == 300 and html.count('<section class="page">') == 25  # 12 cards a page
    heads = {r["archive_id"]: r["head_name"] for r in records}
    for archive_id, png, head in cards:
        decoded = zxingcpp.read_barcodes(Image.open(io.BytesIO(base64.b64decode(png))))
        assert len(decoded) == 1, archive_id
        url = decoded[0].text
        assert url.startswith("http://fieldcheck.test/h/")
        _, household = resolve(url.rsplit("/", 1)[1])
        assert household.archive_id == archive_id and heads[archive_id] == head
    db.session.rollback()


def test_the_public_page_shows_only_the_village_and_validity(client, bearer, evaluation):
    record = make_records(1)[0]
    post_batch(client, bearer, [record])
    _, url = _card(client, bearer, record["archive_id"])
    page = client.get(url).get_data(as_text=True)
    assert 'data-state="valid"' in page and record["village"] in page
    assert record["head_name"] not in page and record["members"][0]["id_number"][-4:] not in page
    assert client.get("/h/not-a-token").status_code == 404


def test_a_signed_in_supervisor_sees_the_masked_record(client, bearer, evaluation):
    record = make_records(1)[0]
    post_batch(client, bearer, [record])
    token, url = _card(client, bearer, record["archive_id"])
    make_user("sup1", "supervisor", evaluation)
    sign_in(client, "sup1")
    page = client.get(url).get_data(as_text=True)
    assert record["head_name"] in page and "**********" in page
    assert record["members"][0]["id_number"] not in page


def test_reissue_revokes_the_old_card(client, bearer, runner, evaluation):
    record = make_records(1)[0]
    post_batch(client, bearer, [record])
    old, old_url = _card(client, bearer, record["archive_id"])
    new = client.post(f"/api/v1/evaluations/county1/households/{record['archive_id']}/card", headers=bearer)
    assert new.status_code == 201 and new.json["revoked"] == [old]
    assert 'data-state="revoked"' in client.get(old_url).get_data(as_text=True)
    assert 'data-state="valid"' in client.get(f"/h/{new.json['token']}").get_data(as_text=True)
    result = runner.invoke(args=["households", "reissue-card", "county1", record["archive_id"]])
    assert result.exit_code == 0 and "new card: http://fieldcheck.test/h/" in result.output
    assert 'data-state="revoked"' in client.get(f"/h/{new.json['token']}").get_data(as_text=True)


def test_cli_writes_the_print_sheet(client, bearer, runner, tmp_path):
    records = make_records(4, village=3)
    post_batch(client, bearer, records)
    out = tmp_path / "cards.html"
    code = records[0]["village_code"]
    result = runner.invoke(args=["households", "cards", "county1", code, "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").count('class="card"') == 4


def _card(client, bearer, archive_id):
    from server.households.cards import village_cards
    from server.households.service import get_household
    household = get_household(1, archive_id)
    live = village_cards(household.evaluation_id, household.village_code)
    token = {h.archive_id: t for h, t in live}[archive_id]
    db.session.rollback()
    return token, f"/h/{token}"

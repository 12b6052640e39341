"""The enumerators pages through the dashboard's own forms: create one with their home place (checked field
by field, the message next to the field), their Collect QR code holding their token, a new token that stops
the old one at once, deactivation, a Digest password, edits, their assignments and quality, the printable
sheet, and a double-clicked post that does one thing."""
import base64
import re

import pytest

from server.accounts import provisioning
from server.accounts.devices import decode_payload
from server.dashboard import once
from server.infra import addresses
from server.infra.extensions import db, rq
from server.models import AuditEntry, Enumerator, User
from testkit.dashboard_world import build_world
from tests.integration.dashboard.helpers import csrf, sign_in

E = "/dashboard/county1"
NEW = {"username": "wangfang", "display_name": "王芳", "phone": "138 0000 1111", "team": "二组",
       "county": "延庆区", "township": "", "village": "", "county_code": "110119", "township_code": "110119001",
       "village_code": "110119001002", "province": ""}


@pytest.fixture
def world(app, client):
    built = build_world(app)
    sign_in(client, "sup1")
    return built


def _post(client, page, action, **fields):
    html = client.get(page).get_data(as_text=True)
    once = fields.pop("once", None) or re.search(r'name="once" value="([^"]+)"', html).group(1)
    return client.post(action, data={"csrf_token": csrf(client.get(page)), "once": once, **fields})


def _create(client, **changes):
    return _post(client, E + "/enumerators", E + "/enumerators", **{**NEW, **changes})


def _token_url(client, username):
    page = client.get(f"{E}/enumerators/{username}/qr").get_data(as_text=True)
    return re.search(r'id="server-url">([^<]+)<', page).group(1)


def _formlist(client, url):
    return client.get(url.replace("http://fieldcheck.test", "") + "/formList")


def test_create_then_their_qr_code_holds_a_working_collect_url(client, world):
    created = _create(client)
    assert created.status_code == 303 and created.headers["Location"].endswith("/enumerators/wangfang/qr")
    page = client.get(created.headers["Location"]).get_data(as_text=True)
    assert "已创建调查员 王芳" in page
    payload = re.search(r'src="data:image/png;base64,([^"]+)"', page)
    assert payload is not None  # the QR image is on the page, not behind another URL
    row = db.session.query(Enumerator).filter_by(username="wangfang").one()
    assert (row.phone, row.team, row.village_code, row.county) == ("138 0000 1111", "二组", "110119001002",
                                                                   "延庆区")
    url = _token_url(client, "wangfang")
    assert _formlist(client, url).status_code == 200
    audit = db.session.query(AuditEntry).filter_by(action="enumerator.create").all()
    assert [a.actor for a in audit if a.details["username"] == "wangfang"] == ["user:sup1"]


def test_the_qr_image_on_the_page_is_the_collect_settings_of_that_url(client, world):
    _create(client)
    page = client.get(E + "/enumerators/wangfang/qr").get_data(as_text=True)
    shown = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1))
    settings = provisioning.device_settings(world["evaluation"],
                                            db.session.query(Enumerator).filter_by(username="wangfang").one())
    assert shown == settings.png  # the image is the settings QR (PNG bytes are deterministic)
    general = decode_payload(settings.payload)["general"]
    assert general["server_url"] == _token_url(client, "wangfang")
    assert general["metadata_username"] == "wangfang"


@pytest.mark.parametrize("changes, field, words", [
    ({"username": "王芳"}, "username", "只能包含字母"),
    ({"username": ""}, "username", "此项必填"),
    ({"county": "", "county_code": "", "township_code": "", "village_code": ""}, "county", "籍贯所在县"),
    ({"phone": "call me"}, "phone", "只能包含数字"),
    ({"village_code": "1101190010"}, "village_code", "12 位数字"),
    ({"village_code": "110108001002"}, "village_code", "不属于上一级代码"),
    ({"username": "enum1"}, "username", "已有使用此用户名"),
])
def test_bad_fields_are_named_next_to_the_field_and_nothing_is_created(client, world, changes, field, words):
    before = db.session.query(Enumerator).count()
    answer = _create(client, **changes)
    page = answer.get_data(as_text=True)
    assert answer.status_code in (409, 422)
    assert re.search(rf'id="{field}-error" role="alert">[^<]*{words}', page)
    assert re.search(rf'id="f-{field}"[^>]*aria-invalid="true"', page)
    assert f'value="{NEW["display_name"]}"' in page  # what was typed is kept
    assert db.session.query(Enumerator).count() == before


def test_a_new_token_stops_the_old_url_at_once(client, world):
    _create(client)
    old = _token_url(client, "wangfang")
    rotated = _post(client, E + "/enumerators/wangfang", E + "/enumerators/wangfang/token")
    assert rotated.status_code == 303 and rotated.headers["Location"].endswith("/qr")
    new = _token_url(client, "wangfang")
    assert new != old
    refused = _formlist(client, old)
    assert refused.status_code == 403 and "revoked" in refused.get_data(as_text=True)
    assert _formlist(client, new).status_code == 200


def test_a_double_clicked_rotation_rotates_once(client, world):
    _create(client)
    before = db.session.query(AuditEntry).filter_by(action="enumerator.rotate_token").count()
    page, action = E + "/enumerators/wangfang", E + "/enumerators/wangfang/token"
    first = _post(client, page, action, once="double-click-token-01")
    second = _post(client, page, action, once="double-click-token-01")
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.query(AuditEntry).filter_by(action="enumerator.rotate_token").count() == before + 1


def test_a_double_clicked_create_creates_once_and_shows_the_same_page(client, world):
    first = _create(client, once="double-click-create-01")
    second = _create(client, once="double-click-create-01")
    assert first.status_code == second.status_code == 303  # not "already exists" for the second click
    assert second.headers["Location"] == first.headers["Location"]
    assert db.session.query(Enumerator).filter_by(username="wangfang").count() == 1


def test_deactivate_refuses_the_phone_and_activate_lets_it_back(client, world):
    _create(client)
    url = _token_url(client, "wangfang")
    assert _post(client, E + "/enumerators/wangfang", E + "/enumerators/wangfang/active",
                 active="no").status_code == 303
    assert _formlist(client, url).status_code == 403
    page = client.get(E + "/enumerators/wangfang").get_data(as_text=True)
    assert 'id="inactive"' in page and 'id="show-qr"' not in page
    assert 'id="no-qr"' in client.get(E + "/enumerators/wangfang/qr").get_data(as_text=True)
    _post(client, E + "/enumerators/wangfang", E + "/enumerators/wangfang/active", active="yes")
    assert _formlist(client, url).status_code == 200


def test_a_digest_password_is_checked_then_kept_as_a_hash(client, world):
    page = E + "/enumerators/enum1"
    short = _post(client, page, page + "/password", password="short", password_again="short")
    assert short.status_code == 422 and "至少需要 10 个字符" in short.get_data(as_text=True)
    differ = _post(client, page, page + "/password", password="a long passphrase",
                   password_again="another one")
    assert differ.status_code == 422 and "两次输入的密码不一致" in differ.get_data(as_text=True)
    good = _post(client, page, page + "/password", password="a long passphrase",
                 password_again="a long passphrase")
    assert good.status_code == 303
    db.session.expire_all()
    row = db.session.query(Enumerator).filter_by(username="enum1").one()
    assert row.digest_ha1_encrypted and "a long passphrase" not in row.digest_ha1_encrypted
    assert db.session.query(AuditEntry).filter_by(action="enumerator.password").count() == 1


def test_edit_their_home_place_phone_and_team(client, world):
    page = E + "/enumerators/enum1"
    values = {"display_name": "赵一", "phone": "13900001111", "team": "回访组", "province": "", "county": "海淀区",
              "township": "", "village": "", "county_code": "110108", "township_code": "", "village_code": ""}
    assert _post(client, page, page, **values).status_code == 303
    db.session.expire_all()
    row = db.session.query(Enumerator).filter_by(username="enum1").one()
    assert (row.display_name, row.phone, row.team) == ("赵一", "13900001111", "回访组")
    bad = _post(client, page, page, **{**values, "township_code": "120101001"})
    assert bad.status_code == 422 and 'id="township_code-error"' in bad.get_data(as_text=True)


def test_their_page_shows_assignments_and_quality(client, world):
    page = client.get(E + "/enumerators/enum1").get_data(as_text=True)
    assigned = re.search(r'<table class="assignments".*?</table>', page, re.S).group(0)
    for archive_id in world["households"]:
        assert archive_id in assigned
    assert assigned.count("<tr>") == 1 + 3  # a header and one row per household
    quality = re.search(r'<table class="quality">.*?</table>', page, re.S).group(0)
    assert re.search(r"enumerator=enum1\">3</a>", quality)  # the three interviews of the world
    assert "GPS-03" in quality


def test_the_printable_sheet_holds_each_active_enumerators_qr_and_its_css_is_allowed(client, world):
    _create(client)
    sheet = client.get(E + "/enumerator-sheet")
    html = sheet.get_data(as_text=True)
    assert sheet.status_code == 200 and html.count('class="entry"') == 2
    assert "sha256-" in sheet.headers["Content-Security-Policy"]
    assert "script-src 'self'" in sheet.headers["Content-Security-Policy"]
    assert sheet.headers["Cache-Control"] == "no-store"
    one = client.get(E + "/enumerator-sheet?username=wangfang").get_data(as_text=True)
    assert one.count('class="entry"') == 1 and 'data-username="wangfang"' in one


def test_a_viewer_sees_quality_but_not_the_qr_code_or_the_forms(client, world, app):
    viewer = app.test_client()
    sign_in(viewer, "view1")
    page = viewer.get(E + "/enumerators/enum1").get_data(as_text=True)
    assert '<table class="quality">' in page
    assert 'id="show-qr"' not in page and 'name="password"' not in page
    assert viewer.get(E + "/enumerators/enum1/qr").status_code == 403
    assert viewer.get(E + "/enumerator-sheet").status_code == 403


def test_a_second_post_while_the_first_still_runs_waits_and_changes_nothing(client, world, monkeypatch):
    monkeypatch.setattr(once, "WAIT", 0.3)  # the first one never finishes here
    user = db.session.query(User).filter_by(username="sup1").one()
    action = E + "/enumerators/enum1/token"
    rq.connection.set(f"fieldcheck:once:{user.id}:{action}:still-running-token-01", once.PENDING, ex=60)
    before = db.session.query(AuditEntry).filter_by(action="enumerator.rotate_token").count()
    answer = _post(client, E + "/enumerators/enum1", action, once="still-running-token-01")
    assert answer.status_code == 303 and answer.headers["Location"].endswith(action)
    assert db.session.query(AuditEntry).filter_by(action="enumerator.rotate_token").count() == before
    page = client.get(E + "/enumerators/enum1").get_data(as_text=True)
    assert "此表单已提交过" in page


def test_a_qr_page_at_loopback_carries_an_address_phones_reach_or_says_it_cannot(client, world, app):
    """A supervisor at http://127.0.0.1:8000 must not hand phones a QR code pointing at the phone itself."""
    _create(client)
    app.config["PUBLIC_URL"] = None
    page = client.get(E + "/enumerators/wangfang/qr").get_data(as_text=True)  # the test client is localhost
    assert _token_url(client, "wangfang").startswith("http://localhost/key/")
    assert 'id="loopback-warning"' in page and "PUBLIC_URL" in page
    addresses.record_served(app.instance_path, "192.168.31.20", 8000)  # as `fieldcheck serve --host` records
    page = client.get(E + "/enumerators/wangfang/qr").get_data(as_text=True)
    assert _token_url(client, "wangfang").startswith("http://192.168.31.20:8000/key/")
    assert 'id="loopback-warning"' not in page
    with app.test_request_context("/", base_url="http://survey.lan:8000"):
        assert addresses.public_base() == "http://survey.lan:8000"  # a name phones resolve is kept
    app.config["PUBLIC_URL"] = "https://fc.example.edu.cn/"
    with app.test_request_context("/", base_url="http://127.0.0.1:8000"):
        assert addresses.public_base() == "https://fc.example.edu.cn"  # PUBLIC_URL still wins


@pytest.mark.parametrize("base, loopback", [
    ("http://127.0.0.1:8000", True), ("http://127.9.0.1", True), ("http://localhost:5000", True),
    ("http://[::1]:8000", True), ("http://192.168.1.4:8000", False), ("https://fc.example.edu.cn", False),
    ("http://10.0.0.2", False),
])
def test_which_addresses_name_this_machine_only(base, loopback):
    assert addresses.is_loopback(base) is loopback

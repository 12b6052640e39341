"""zh-Hans first, English second: every message of the dashboard has its translation, the language comes
from the user's choice, then Accept-Language, then zh-Hans; questionnaire labels follow it."""
import io
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from server.infra.extensions import db
from server.models import Submission
from server.submissions.answer_sheet import sheet
from testkit.dashboard_world import build_world
from tests.integration.dashboard.helpers import session_csrf, sign_in

ROOT = Path(__file__).resolve().parents[3]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _extracted():
    method_map = [("server/dashboard/**.py", "python"), ("server/dashboard/templates/**.html", "jinja2")]
    keywords = {"_": None, "gettext": None, "lazy_gettext": None}
    return {message for _, _, message, _, _ in extract_from_dir(str(ROOT), method_map, keywords=keywords)
            if isinstance(message, str)}


def _catalogue(locale):
    path = ROOT / "server" / "translations" / locale / "LC_MESSAGES" / "messages.po"
    return {m.id: m.string for m in read_po(io.BytesIO(path.read_bytes())) if m.id}


def test_every_message_has_a_translation_with_the_same_placeholders():
    messages = _extracted()
    assert len(messages) > 100  # the extraction found the templates
    for locale in ("zh_Hans", "en"):
        catalogue = _catalogue(locale)
        missing = sorted(m for m in messages if not catalogue.get(m))
        assert not missing, f"{locale}: no translation for {missing} (run tools/catalogues.py)"
        wrong = [m for m in messages if set(PLACEHOLDER.findall(m)) != set(PLACEHOLDER.findall(catalogue[m]))]
        assert not wrong, f"{locale}: placeholders differ in {wrong}"
    assert _catalogue("zh_Hans")["Sign in"] == "登录"


def test_language_from_choice_then_accept_language_then_chinese(client, app):
    assert "<h1>登录</h1>" in client.get("/login").get_data(as_text=True)
    english = client.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"}).get_data(as_text=True)
    assert "<h1>Sign in</h1>" in english
    answer = client.post("/dashboard/language", data={"language": "en", "next": "/login",
                                                      "csrf_token": session_csrf(client)})
    cookie = answer.headers["Set-Cookie"]
    assert "fieldcheck_lang=en" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert answer.headers["Location"] == "/login"
    chosen = client.get("/login", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "<h1>Sign in</h1>" in chosen  # the choice wins over the browser's language


def test_questionnaire_and_choice_labels_follow_the_language_with_a_fallback(app, client):
    world = build_world(app)
    submission = db.session.query(Submission).filter_by(instance_id=world["clean"]).one()

    def rows(language):
        return {r["name"]: r for s in sheet(submission, language) for r in s["rows"]}

    zh, en, fr = rows("zh"), rows("en"), rows("fr")
    assert zh["village_code"]["label"] == "行政村代码" and en["village_code"]["label"] == "Village code"
    assert zh["card_status"]["value"] == "有明白卡，可扫码"
    assert en["card_status"]["value"] == "Has the card; QR can be scanned"
    assert fr["village_code"]["label"] == "行政村代码"  # a language the form lacks: its default language
    assert "gps" in zh and zh["photo_house"]["media"] == "house.jpg"
    sign_in(client, "sup1")
    page = client.get(f"/dashboard/county1/interviews/{world['clean']}",
                      headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Has the card; QR can be scanned" in page and "Household card" in page

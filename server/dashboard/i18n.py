"""Languages: zh-Hans first, English second. The user's choice (a cookie), then Accept-Language, then
zh-Hans. Catalogues are .po files under version control, compiled to .mo at start when missing or older.
"""
import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import request
from flask_babel import get_locale, refresh

LOCALES = ("zh_Hans", "en")
COOKIE = "fieldcheck_lang"
NAMES = {"zh_Hans": "中文", "en": "English"}


def init_app(app):
    compile_catalogues(os.path.join(app.root_path, "translations"))
    # Flask-Babel caches the locale on `g`, which lives as long as the app context: a request inside a
    # longer-lived context (tests, CLI) must not inherit the one chosen before.
    app.before_request(refresh)


def compile_catalogues(folder):
    """Write each LC_MESSAGES/messages.mo from its .po when the .mo is missing or older."""
    for locale in os.listdir(folder) if os.path.isdir(folder) else ():
        po = os.path.join(folder, locale, "LC_MESSAGES", "messages.po")
        mo = po[:-2] + "mo"
        if os.path.exists(po) and (not os.path.exists(mo) or os.path.getmtime(mo) < os.path.getmtime(po)):
            with open(po, "rb") as source:
                catalog = read_po(source, locale=locale)
            temp = f"{mo}.{os.getpid()}"
            with open(temp, "wb") as target:
                write_mo(target, catalog)
            os.replace(temp, mo)  # atomic: another process may be reading it


def select_locale():
    chosen = request.cookies.get(COOKIE)
    if chosen in LOCALES:
        return chosen
    best = request.accept_languages.best_match(["zh", "zh-CN", "zh-Hans", "en"])
    return "en" if best == "en" else "zh_Hans"


def language():
    """The short code of the page's language ("zh" or "en"), as forms and rules name their labels."""
    return str(get_locale() or "zh_Hans").split("_")[0]

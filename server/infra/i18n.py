"""Messages people read, in zh-Hans and English, chosen where they are shown.

Code that raises or prints a message writes it as `msg("English text with %(name)s", name=value)`;
the surface renders it in its reader's language: the API by the request's Accept-Language, the CLI
by `--lang`, the dashboard by its page's language. The English text is the msgid of the gettext
domain "server" (server/translations/<locale>/LC_MESSAGES/server.po, written by
tools/catalogues.py from tools/zh_hans_server.py); a message without a zh-Hans text falls back
to English, and tests/unit/i18n/test_problem_messages.py fails on one.
"""
import gettext
import os
import threading

LANGUAGES = ("zh", "en")
DOMAIN = "server"
FOLDER = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "translations")
LOCALE_DIRS = {"zh": "zh_Hans", "en": "en"}

_translations = {}
_lock = threading.Lock()


class Msg:
    """An English message and its parameters, translated only when rendered."""

    __slots__ = ("text", "params")

    def __init__(self, text, params=None):
        self.text = text
        self.params = params or {}

    def render(self, lang="en"):
        template = self.text if lang == "en" else translation(lang).gettext(self.text)
        if not self.params:
            return template
        return template % {k: v.render(lang) if isinstance(v, Msg) else v for k, v in self.params.items()}

    def __str__(self):
        return self.render("en")

    def __repr__(self):
        return f"msg({self.text!r}, **{self.params!r})"

    def __eq__(self, other):
        return isinstance(other, Msg) and (self.text, self.params) == (other.text, other.params)

    def __hash__(self):
        return hash(self.text)


class Texts(Msg):
    """A message whose zh-Hans text is written beside its English one (where a module keeps both
    languages of its messages itself), rather than in the "server" catalogue."""

    __slots__ = ("zh",)

    def __init__(self, en, zh):
        super().__init__(en)
        self.zh = zh

    def render(self, lang="en"):
        return self.zh if lang == "zh" else self.text


def msg(text, **params):
    """A message to show in the reader's language (see the module's docstring)."""
    return Msg(text, params)


def render(value, lang):
    """A Msg in `lang`; anything else as text. Dicts and lists are rendered item by item."""
    if isinstance(value, Msg):
        return value.render(lang)
    if isinstance(value, dict):
        return {k: render(v, lang) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, lang) for v in value]
    return value


def translation(lang):
    """The gettext catalogue of `lang` (compiled from its .po when the .mo is missing or older)."""
    lang = lang if lang in LANGUAGES else "en"
    found = _translations.get(lang)
    if found is None:
        with _lock:
            po = os.path.join(FOLDER, LOCALE_DIRS[lang], "LC_MESSAGES", f"{DOMAIN}.po")
            compile_catalogue(po)
            found = _translations[lang] = gettext.translation(DOMAIN, FOLDER, [LOCALE_DIRS[lang]],
                                                              fallback=True)
    return found


def compile_catalogue(po):
    """Write the .mo beside `po` when it is missing or older (atomically: another process may read it)."""
    mo = po[:-2] + "mo"
    if not os.path.exists(po) or (os.path.exists(mo) and os.path.getmtime(mo) >= os.path.getmtime(po)):
        return
    from babel.messages.mofile import write_mo  # lazy: only when a catalogue changed
    from babel.messages.pofile import read_po

    locale = os.path.basename(os.path.dirname(os.path.dirname(po)))
    with open(po, "rb") as source:
        catalog = read_po(source, locale=locale)
    temp = f"{mo}.{os.getpid()}"
    with open(temp, "wb") as target:
        write_mo(target, catalog)
    os.replace(temp, mo)


def best_language(accept_languages):
    """zh or en from a werkzeug LanguageAccept: zh-Hans first (and for a request that names no
    language), English for a request that accepts neither."""
    if not accept_languages:
        return "zh"
    best = accept_languages.best_match(["zh-Hans", "zh-CN", "zh", "en"])
    return "zh" if best and best.startswith("zh") else "en"

"""The language of the CLI's messages: `fieldcheck --lang zh|en`, else the environment's locale."""
import os

import click

LANG_KEY = "fieldcheck.lang"


def default_lang(environ=None):
    """zh when the environment's locale is Chinese, else en (LC_ALL, then LC_MESSAGES, then LANG)."""
    environ = os.environ if environ is None else environ
    for key in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if environ.get(key):
            return "zh" if environ[key].lower().startswith("zh") else "en"
    return "en"


def cli_lang():
    """The language of messages: `fieldcheck --lang`, else the environment's locale."""
    ctx = click.get_current_context(silent=True)
    return (ctx.meta.get(LANG_KEY) if ctx else None) or default_lang()

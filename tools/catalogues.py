"""Extract the messages and write the catalogues under version control: zh_Hans from the data files in
tools/, en as the source text. Two gettext domains: "messages" (the dashboard: babel.cfg, `_()`), with
zh_Hans from tools/zh_hans.py, and "server" (what the server's Python code says to people: the
Problems it raises, the CLI's hints and progress, the API docs' summaries; babel_server.cfg, `msg()`
and `documented()`), with zh_Hans from tools/zh_hans_server.py. Run after changing a message:
`.venv/bin/python tools/catalogues.py`. A message without a translation makes it fail."""
import io
import re
import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from zh_hans import ZH  # noqa: E402
from zh_hans_admin import ZH as ZH_ADMIN  # noqa: E402  (the users, audit log and settings pages)
from zh_hans_server import ZH as ZH_SERVER  # noqa: E402

ZH = {**ZH, **ZH_ADMIN}
# domain: (mapping file, extraction keywords, zh_Hans texts)
DOMAINS = {
    "messages": ("babel.cfg", ["-k", "_", "-k", "gettext", "-k", "lazy_gettext"], ZH),
    "server": ("babel_server.cfg", ["--no-default-keywords", "-k", "msg", "-k", "documented:1"], ZH_SERVER),
}


def main():
    missing = []
    for domain, (mapping, keywords, zh) in DOMAINS.items():
        missing += write_domain(domain, mapping, keywords, zh)
    if missing:
        sys.exit("no zh_Hans translation for: " + "; ".join(sorted(set(missing))))


def write_domain(domain, mapping, keywords, zh):
    pot = ROOT / "build" / f"{domain}.pot"
    pot.parent.mkdir(exist_ok=True)
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", str(ROOT / mapping),
                    *keywords, "--no-location", "--sort-output", "-o", str(pot), str(ROOT)],
                   check=True, capture_output=True)
    missing = []
    for locale in ("zh_Hans", "en"):
        with open(pot, "rb") as source:
            catalog = read_po(source, locale=locale)
        for message in catalog:
            if message.id:
                message.string = message.id if locale == "en" else zh.get(message.id, "")
                if not message.string:
                    missing.append(message.id)
        target = ROOT / "server" / "translations" / locale / "LC_MESSAGES" / f"{domain}.po"
        target.parent.mkdir(parents=True, exist_ok=True)
        out = io.BytesIO()
        write_po(out, catalog, width=0, omit_header=False)
        if not target.exists() or _undated(target.read_bytes()) != _undated(out.getvalue()):
            target.write_bytes(out.getvalue())  # else keep the file (and its date) as it is
    return missing


def _undated(po):
    return re.sub(rb'"POT-Creation-Date: [^"]*"', b"", po)


if __name__ == "__main__":
    main()

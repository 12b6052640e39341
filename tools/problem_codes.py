"""The error codes the server's API surface can answer, read from the source, for the API docs page.

Walks server/ and worker/ (not the OpenRosa surface, whose codes are Collect's) for every
`Problem("code", msg("..."), status)` and the shorthands that build one (`_bad`, `_refused`), and
writes server/api/error_codes.json: {code: {"status": N, "messages": [English msgid, ...]}}. The
docs page adds the codes made elsewhere (not_found, http.*, the XLSForm compiler's form.*) and shows
each message in the page's language. Run after adding a Problem: `.venv/bin/python tools/problem_codes.py`
(tests/integration/test_api_docs.py fails while the file is stale).
"""
import ast
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "server" / "api" / "error_codes.json"
BUILDERS = {"Problem": 2, "_bad": None, "_refused": None}  # name: position of the status (None: its own)
DEFAULT_STATUS = {"_bad": 400, "_refused": 422}


def sources():
    for package in ("server", "worker"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts and "openrosa" not in path.parts:
                yield path


def _name(call):
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _texts(node):
    """The msg() texts a message argument can take."""
    if isinstance(node, ast.IfExp):
        return _texts(node.body) + _texts(node.orelse)
    if isinstance(node, ast.Call) and _name(node) == "msg" and node.args and isinstance(node.args[0], ast.Constant):
        return [node.args[0].value]
    return []


def _status(call, name):
    position = BUILDERS[name]
    if position is None:
        return DEFAULT_STATUS[name]
    found = call.args[position] if len(call.args) > position else \
        next((k.value for k in call.keywords if k.arg == "status"), None)
    if found is None:
        return 400
    return found.value if isinstance(found, ast.Constant) else None


def codes():
    found = {}
    for path in sources():
        for call in (n for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.Call)):
            name = _name(call)
            if name not in BUILDERS or not call.args or not isinstance(call.args[0], ast.Constant):
                continue
            entry = found.setdefault(call.args[0].value, {"status": _status(call, name), "messages": []})
            message = call.args[1] if len(call.args) > 1 else None
            for text in _texts(message) if message is not None else []:
                if text not in entry["messages"]:
                    entry["messages"].append(text)
    return {code: found[code] for code in sorted(found)}


def rendered():
    return json.dumps(codes(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


if __name__ == "__main__":
    TARGET.write_text(rendered(), encoding="utf-8")
    sys.exit(0)

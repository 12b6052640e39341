"""Every Problem the server and the worker raise has its message in zh-Hans as well as English.

The source is read, not run: each `Problem(code, message, ...)` (and each `_bad(code, message)`, the
export request's shorthand) must pass a `msg("...")` whose text the "server" catalogue translates,
or be one of the few whose two languages are kept beside them (named below with why). A code raised
through `not_found(what, ...)` needs its `what` in NOT_FOUND. The zh-Hans text keeps every
%(placeholder)s of the English one, or rendering it would fail.
"""
import ast
import pathlib
import re

import pytest
from babel.messages.pofile import read_po

from server.infra import i18n
from server.infra.errors import NOT_FOUND, Problem, not_found
from server.infra.i18n import Msg, Texts, msg

ROOT = pathlib.Path(__file__).resolve().parents[3]
SOURCES = sorted(p for package in ("server", "worker") for p in (ROOT / package).rglob("*.py")
                 if "migrations" not in p.parts)
PLACEHOLDER = re.compile(r"%\((\w+)\)[srd]")
# (file, function): why its Problem's message is not a msg() call.
BESIDE = {
    ("server/questionnaires/forms_service.py", "compile_source"):
        "a FormError's message, written in the language the caller passed (forms/errors.py keeps both)",
    ("server/questionnaires/forms_service.py", "_missing_problem"): "Texts(en, zh) built beside it",
    ("server/questionnaires/submission_url.py", "_refused"): "Texts(en, zh) from its _MESSAGES",
    ("server/questionnaires/conversion.py", "check_source"):
        "a FormError's message, written in the language the caller passed (forms/errors.py keeps both)",
    ("server/dashboard/views_exports.py", "_error_text"):
        "a failed job's stored error, made a Problem only to find the page's own words for its code",
    ("server/exports/request.py", "_bad"): "the shorthand itself: its callers pass msg() (checked)",
    ("server/submissions/refusals.py", "__init__"): "REFUSALS holds both languages (Refused.localized)",
    ("server/openrosa/auth.py", "__init__"): "the OpenRosa catalogue holds both (AuthProblem.localized)",
    ("server/infra/errors.py", "not_found"): "NOT_FOUND's msg() (checked below)",
    ("server/infra/errors.py", "forbidden"): "msg() by default",
    ("server/infra/errors.py", "http_problem"): "HTTP_MESSAGES' msg(), else werkzeug's own text",
}


def _calls(tree):
    """(enclosing function name, Call node) for every call in the module."""
    def walk(node, function):
        for child in ast.iter_child_nodes(node):
            name = child.name if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) else function
            if isinstance(child, ast.Call):
                yield function, child
            yield from walk(child, name)
    yield from walk(tree, "<module>")


def _name(call):
    func = call.func
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _message_arg(call):
    if len(call.args) >= 2:
        return call.args[1]
    return next((k.value for k in call.keywords if k.arg == "message"), None)


def _is_msg(node):
    if isinstance(node, ast.IfExp):
        return _is_msg(node.body) and _is_msg(node.orelse)
    return isinstance(node, ast.Call) and _name(node) == "msg" and node.args and \
        isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)


def _problems():
    for path in SOURCES:
        relative = str(path.relative_to(ROOT))
        for function, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if _name(call) in ("Problem", "_bad") and call.args:
                yield relative, function, call


def test_every_problem_raised_has_a_translatable_message():
    untranslatable = []
    for relative, function, call in _problems():
        message = _message_arg(call)
        if message is not None and (_is_msg(message) or (relative, function) in BESIDE):
            continue
        code = ast.unparse(call.args[0])
        untranslatable.append(f"{relative}:{call.lineno} {function}: Problem({code}, {ast.unparse(message)})")
    assert untranslatable == []


def test_problems_are_checked_across_the_code():
    found = list(_problems())
    assert len(found) > 120 and len({r for r, _, _ in found}) > 35  # the walk sees the whole server


def test_every_not_found_names_a_known_thing():
    used = {call.args[0].value for path in SOURCES
            for _, call in _calls(ast.parse(path.read_text(encoding="utf-8")))
            if _name(call) == "not_found" and call.args and isinstance(call.args[0], ast.Constant)}
    assert used and used <= set(NOT_FOUND)


def _catalogue():
    with open(ROOT / "server" / "translations" / "zh_Hans" / "LC_MESSAGES" / "server.po", "rb") as source:
        return {m.id: m.string for m in read_po(source) if m.id}


def _msg_texts():
    for path in SOURCES:
        for _, call in _calls(ast.parse(path.read_text(encoding="utf-8"))):
            if _name(call) == "msg":
                assert _is_msg(call), f"{path.relative_to(ROOT)}:{call.lineno}: msg() takes a literal text"
                yield call.args[0].value


def test_every_message_has_a_zh_hans_text_with_the_same_placeholders():
    catalogue = _catalogue()
    texts = set(_msg_texts())
    assert len(texts) > 150
    missing = sorted(t for t in texts if not catalogue.get(t))
    assert missing == [], "run tools/catalogues.py after adding the texts to tools/zh_hans_problems.py"
    for text in texts:
        zh = catalogue[text]
        assert zh != text and re.search(r"[\u4e00-\u9fff]", zh), text
        assert sorted(PLACEHOLDER.findall(zh)) == sorted(PLACEHOLDER.findall(text)), text


@pytest.mark.parametrize("what", sorted(NOT_FOUND))
def test_not_found_renders_in_both_languages(what):
    problem = not_found(what, "x1")
    assert problem.code == f"{what}.not_found" and problem.status == 404
    assert "'x1'" in problem.localized("en") and "'x1'" in problem.localized("zh")
    assert re.search(r"[\u4e00-\u9fff]", problem.localized("zh")
                     ) and problem.message == problem.localized("en")


def test_a_problem_renders_its_message_and_details_in_the_language_asked():
    problem = Problem("review.reason_required", msg("A decision needs a written reason of at least "
                                                    "%(count)d characters.", count=10), 422,
                      [{"field": "reason", "message": msg("too short")}])
    assert problem.to_dict("en") == {"code": "review.reason_required", "message": problem.message,
                                     "details": [{"field": "reason", "message": "too short"}]}
    assert problem.message == "A decision needs a written reason of at least 10 characters."
    zh = problem.to_dict("zh")
    assert zh["code"] == "review.reason_required" and zh["message"] == "作出决定须写明理由，至少 10 个字。"
    assert zh["details"] == [{"field": "reason", "message": "太短"}]


def test_a_message_nested_in_a_message_is_rendered_in_the_same_language():
    from server.households.assignments import LEVEL_NAMES

    refused = msg("Refused: %(reason)s.", reason=msg(
        "enumerator %(username)r comes from the same %(level)s (%(place)s) as the assignment; "
        "the recusal level is %(level)s", username="e1", level=LEVEL_NAMES["county"], place="A县"))
    assert refused.render("en") == ("Refused: enumerator 'e1' comes from the same county (A县) as the "
                                    "assignment; the recusal level is county.")
    assert refused.render("zh") == "不予分配：调查员 'e1' 与该任务来自同一县（A县），而回避层级为县。"


def test_texts_written_beside_render_without_the_catalogue():
    both = Texts("Two files are missing.", "缺少两个文件。")
    assert isinstance(both, Msg) and both.render("zh") == "缺少两个文件。" and str(both) == "Two files are missing."


def test_an_unknown_language_falls_back_to_english():
    assert msg("There is no evaluation %(key)r.", key="c").render("fr") == "There is no evaluation 'c'."
    assert i18n.translation("fr") is i18n.translation("en")

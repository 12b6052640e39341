"""ODK Validate's Java output as located, bilingual details.

Validate prints a banner (">> XForm is invalid."), then a Java exception whose message may
run over several lines, then stack frames and a summary. Only the exception's message is
the problem; it names binds by instance path (/data/group/b), which is mapped back to the
survey row and shown as ${b}, the way authors write it.
"""

from __future__ import annotations

import re

from forms.errors import detail

_NOISE = re.compile(
    r"^(\s*at |>>|Validating:|The following files failed|Result: |\s*\.\.\. \d+ more|Caused by:)"
)
_EXC_PREFIX = re.compile(r"^[\w.$]+(Exception|Error):\s*")
# An instance path; a name may hold dots, but not end a sentence with one ("Group: /data/g.").
_PATH = re.compile(r"(/[\w.-]+(?:/[\w.-]+)*/[\w.-]*[\w-])")
_COLUMN_OF = {"calculate": "calculation", "relevant": "relevant", "required": "required",
              "readonly": "read_only", "constraint": "constraint"}
_ZH_COLUMN = {"calculation": "计算（calculation）", "relevant": "显示条件（relevant）",
              "required": "必填（required）", "read_only": "只读（read_only）",
              "constraint": "约束（constraint）", "choice_filter": "选项筛选（choice_filter）"}

_ZH_REASON = {"mismatched brackets or parentheses": "括号不配对", "unexpected end of expression": "表达式意外结束",
              "bad node name": "节点名称无效", "unrecognized token": "无法识别的符号",
              "unbalanced brackets or parentheses": "括号不配对"}


def messages(output: str, path: str) -> list[str]:
    """The exception messages in Validate's output, continuation lines joined with newlines."""
    found: list[str] = []
    current: list[str] | None = None
    for raw in output.splitlines():
        line = raw.strip().replace(path, "form.xml")
        if not line or line in (path, "form.xml") or _NOISE.match(raw) or _NOISE.match(line):
            current = None if (not line or raw.lstrip().startswith("at ")) and current else current
            continue
        if _EXC_PREFIX.match(line) or current is None:
            current = [_EXC_PREFIX.sub("", line)]
            found.append(current)
        else:
            current.append(line)
    joined = ["\n".join(m) for m in found]
    return list(dict.fromkeys(joined))


def clean(output: str, path: str) -> list[str]:
    """Validate's warnings as one line each."""
    return [m.replace("\n", " ") for m in messages(output, path)]


def locate(message: str, rows, lang: str) -> dict:
    """One Validate message as a detail: kind code, survey row and column, zh and en text."""
    for pattern, handler in _PATTERNS:
        m = re.search(pattern, message, re.S)
        if m:
            return handler(m, message, rows, lang)
    return _generic(message, rows, lang)


def _refs(text: str, rows) -> str:
    """Instance paths shown as ${name} where the path is a survey row; whitespace tidied."""
    text = _PATH.sub(lambda m: "${%s}" % m.group(1).rsplit("/", 1)[-1] if rows.row_of_path(m.group(1))
                     else m.group(1), text)
    return re.sub(r"\s+", " ", text).strip()


def _expression(column, path, expression, reason, rows, lang):
    row = rows.row_of_path(path)
    expr, reason, name = _refs(expression, rows), _refs(reason, rows), _refs(path, rows)
    zh_reason = _ZH_REASON.get(reason.lower().rstrip("!. "), reason)
    zh = f"{name} 的{_ZH_COLUMN[column]}表达式无效：{expr}" + (f"（{zh_reason}）" if reason else "")
    en = f"The {column} expression of {name} is invalid: {expr}" + (f" ({reason})" if reason else "")
    return detail("expression.invalid", zh, en, lang, sheet="survey" if row else None, row=row,
                  column=rows.header(column))


def _bind_attribute(m, _message, rows, lang):
    reason = m.group(3) if m.group(3) not in ("null", "") else ""
    return _expression(_COLUMN_OF[m.group(1).lower()], m.group(2), m.group(4), reason, rows, lang)


def _constraint(m, _message, rows, lang):
    return _expression("constraint", m.group(1), m.group(2), m.group(3), rows, lang)


def _display(m, _message, rows, lang):
    expression, _, reason = m.group(2).rpartition(",")
    reason = reason if expression else ""
    return _expression("relevant", m.group(1), expression or m.group(2), reason, rows, lang)


def _cycle(_m, message, rows, lang):
    paths = [p for p in _PATH.findall(message) if rows.row_of_path(p)]
    names = ", ".join(_refs(p, rows) for p in paths)
    row = rows.row_of_path(paths[0]) if paths else None
    column = "calculation" if row and rows.cell(row, "calculation") else "relevant"
    zh = f"计算和显示条件形成循环依赖，涉及：{names}。" if names else "计算和显示条件形成循环依赖。"
    en = f"The calculations and display conditions depend on each other in a cycle: {names}." if names else \
        "The calculations and display conditions depend on each other in a cycle."
    return detail("expression.cycle", zh, en, lang, sheet="survey" if row else None, row=row,
                  column=rows.header(column) if row else None)


def _choice_filter(m, _message, rows, lang):
    list_name, expression = m.group(1), _refs(m.group(2), rows)
    row = rows.row_where("type", lambda v: v.split()[-1:] == [list_name] and "select" in v)
    zh = f"选项列表 '{list_name}' 的{_ZH_COLUMN['choice_filter']}表达式无效：{expression}"
    en = f"The choice_filter expression for list '{list_name}' is invalid: {expression}"
    return detail("expression.invalid", zh, en, lang, sheet="survey" if row else None, row=row,
                  column=rows.header("choice_filter") if row else None)


def warning(text: str, lang: str) -> dict:
    """One of Validate's warnings on a valid form (a line odk_validate returns) as a detail: its
    words are Validate's own English, so the Chinese text says who reports them."""
    line = text.removeprefix("ODK Validate: ")
    return detail("validate.warning", f"ODK Validate 报告：{line}", f"ODK Validate: {line}", lang)


def _generic(message, rows, lang):
    row = next((r for p in _PATH.findall(message) if (r := rows.row_of_path(p))), None)
    text = _refs(message, rows)
    return detail("validate.error", f"ODK Validate 报告：{text}", f"ODK Validate: {text}", lang,
                  sheet="survey" if row else None, row=row)


_PATTERNS = (
    (r'Invalid (calculate|relevant|required|readonly|constraint) for the bind attached to "([^"]+)"\s*:\s*'
     r"(.*?) in expression (.*)$", _bind_attribute),
    (r"bind for (\S+) contains invalid constraint expression \[(.*)\]\s*(.*)$", _constraint),
    (r"display condition for node \[(\S+)\] at line:\s*(.*)$", _display),
    (r"Cycle detected", _cycle),
    (r"Unsupported nodeset expression: instance\('([^']+)'\)/root/item\[(.*)\]\]$", _choice_filter),
)

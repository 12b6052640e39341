"""Turn pyxform's and ODK Validate's English messages into located, bilingual details.

pyxform puts the location inside the text ("[row : 3] On the 'survey' sheet, the 'name'
value ..."), so it is parsed back out here. Known messages get a Chinese rendering; any
other message keeps pyxform's English text rather than being hidden.
"""

from __future__ import annotations

import re

from forms.errors import detail

_ROW = re.compile(r"\[row\s*:\s*(\d+)\]\s*")
_SHEET = re.compile(r"'?\b(survey|choices|settings|external_choices|entities)'? sheet\b", re.I)
_COLUMN = re.compile(r"the '([\w:-]+)' (?:value|column)")

# (pattern, column it implies, Chinese template using the pattern's groups)
_KNOWN = (
    (r"You must have a sheet named '(\w+)'", None, "缺少名为 '{0}' 的工作表。"),
    (r"Unknown question type '(.+?)'", "type", "未知的题型 '{0}'。"),
    (r"the 'name' value '(.+?)' is invalid\. Questions, groups, and repeats must be unique",
     "name", "名称 '{0}' 重复：同一组内的题目、组和重复组的名称必须唯一。"),
    (r"List name not in choices sheet: (\S+)", "type", "选项列表 '{0}' 不在 choices 表中。"),
    (r"Could not find the name '(.+?)'", None, "引用的 ${{{0}}} 在 survey 表中不存在。"),
    (r"Question with no type", "type", "该行缺少题型（type 列）。"),
    (r"Question or group with no name", "name", "该行缺少名称（name 列）。"),
    (r"Unmatched '(\w+)'", "type", "'{0}' 没有配对的结束行。"),
    (r"Names must begin with a letter or underscore", "name",
     "名称必须以字母或下划线开头，只能包含字母、数字、下划线、连字符或句点。"),
    (r"Choice names must be unique", "name", "同一选项列表中的选项名称必须唯一。"),
    (r"There should be a choices sheet", None, "缺少 choices 工作表（需要 list_name、name、label 列）。"),
    (r"element named '(.+?)' has no label or hint", "label", "题目 '{0}' 没有标签或提示。"),
    (r"invalid (\w+) expression \[(.*?)\]\s*(.*)", None, "{0} 表达式无效：[{1}] {2}"),
    (r"problem with display condition for node \[(.+?)\] at line:\s*(.*)", "relevant",
     "显示条件（relevant）表达式无效：{1}"),
)


def translate(text: str, lang: str) -> tuple[str, str | None]:
    """Return (message in `lang`, column implied by the message or None)."""
    for pattern, column, zh in _KNOWN:
        m = re.search(pattern, text)
        if m:
            return (zh.format(*m.groups()) if lang == "zh" else text), column
    return text, None


def pyxform_detail(text: str, lang: str) -> dict:
    """Locate a pyxform message: sheet, row and column where the text says so."""
    text = text.strip()
    row = _ROW.search(text)
    body = _ROW.sub("", text, count=1).strip()
    # pyxform sometimes appends the raw row dict after a newline; it only adds noise.
    body = body.split("\n", 1)[0].strip()
    sheet = _SHEET.search(body)
    column = _COLUMN.search(body)
    message, implied = translate(body, lang)
    return detail(
        message,
        sheet=sheet.group(1).lower() if sheet else ("survey" if row else None),
        row=int(row.group(1)) if row else None,
        column=column.group(1) if column else implied,
    )

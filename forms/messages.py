"""Turn pyxform's English messages into located, bilingual details with a kind code.

pyxform puts the location inside the text ("[row : 3] On the 'survey' sheet, the 'name'
value ..."). Each message is matched against pyxform's own templates (ErrorCode) to get
its code and the values in it, then against the few older untemplated messages; the
catalogue (forms.pyxform_catalog) gives the kind code, the column and the Chinese text.
A message no entry knows keeps pyxform's English text in both languages, never hidden.
"""

from __future__ import annotations

import re
from functools import lru_cache
from string import Formatter

from forms import columns
from forms.errors import detail
from forms.pyxform_catalog import CODES, LEGACY

_ROW = re.compile(r"^\[row\s*:\s*(\d+)\]\s*")
_SHEET = re.compile(r"On the '(\w+)' sheet")
_HEADER_SHEET = re.compile(r"sheet: '(\w+)'")


@lru_cache(maxsize=1)
def _templates() -> tuple[tuple[str, re.Pattern], ...]:
    """(ErrorCode name, regex with one named group per template field), longest first."""
    from pyxform.errors import ErrorCode

    found = []
    for code in ErrorCode:
        pattern, seen = "", set()
        for literal, field, _spec, _conv in Formatter().parse(code.value.msg):
            pattern += re.escape(literal)
            if field is None:
                continue
            pattern += f"(?P={field})" if field in seen else f"(?P<{field}>.+?)"
            seen.add(field)
        found.append((code.name, re.compile(pattern + r"\s*$", re.S)))
    return tuple(sorted(found, key=lambda item: -len(item[1].pattern)))


def english(text: str) -> str:
    """pyxform's text without its '[row : N]' prefix or the raw row dict it sometimes appends."""
    return _ROW.sub("", text.strip().split("\n", 1)[0].strip(), count=1).strip()


def pyxform_detail(text: str, lang: str, rows=None, headers: dict | None = None) -> dict:
    """Locate and translate one pyxform message (an error or a warning)."""
    text = str(text).strip()
    row_match = _ROW.match(text)
    row = int(row_match.group(1)) if row_match else None
    en = english(text)
    first_line = text.split("\n", 1)[0].strip()
    for name, pattern in _templates():
        m = pattern.match(first_line)
        if m:
            return _from_template(name, m.groupdict(), en, row, lang, rows, headers or {})
    for regex, kind, sheet, column, zh in LEGACY:
        m = re.search(regex, en)
        if m:
            sheet = sheet.format(*m.groups()) if sheet else (m.group(1) if kind == "sheet.missing" else None)
            row = row or _row_from_words(kind, m, rows)
            return _located(kind, zh.format(*m.groups()), en, lang, sheet, row, column, rows, headers or {})
    sheet = _SHEET.search(en)
    return _located("pyxform.error", f"pyxform 报告：{en}", en, lang,
                    sheet.group(1) if sheet else ("survey" if row else None), row, None, rows, headers or {})


def _from_template(name, ctx, en, row, lang, rows, headers):
    kind, column, zh = CODES.get(name, ("pyxform.error", None, "pyxform 报告：" + en))
    sheet = ctx.get("sheet") or ctx.get("sheet_name") or _first(_SHEET, en) or _first(_HEADER_SHEET, en)
    column = ctx.get("column") or column
    if name.startswith("HEADER_"):  # the header as written is the column; no alias mapping
        sheet = sheet or ("choices" if name == "HEADER_004" else "entities" if name == "HEADER_005" else None)
        column = ctx.get("header") or ctx.get("column")
        return detail(kind, zh.format(**ctx), en, lang, sheet=sheet, row=1, column=column)
    if row is None and ctx.get("row", "").isdigit():
        row = int(ctx["row"])
    try:
        zh_text = zh.format(**{k: v for k, v in ctx.items()})
    except (KeyError, IndexError):
        zh_text = zh
    return _located(kind, zh_text, en, lang, sheet or ("survey" if row else None), row, column, rows, headers)


def _located(kind, zh, en, lang, sheet, row, column, rows, headers):
    if column and sheet == "survey" and rows is not None:
        column = rows.header(column)
    elif column and sheet in headers:
        column = columns.written(headers[sheet], column, sheet)
    return detail(kind, zh, en, lang, sheet=sheet, row=row, column=column)


def _row_from_words(kind, m, rows):
    if rows is None:
        return None
    if kind in ("type.unknown", "type.list_name_missing"):
        return rows.row_of_type(m.group(0).split("'")[1])
    if kind == "label.missing":
        return rows.row_of_name(m.group(1))
    if kind == "choices.list_missing":
        wanted = m.group(1)
        return rows.row_where("type", lambda v: v.split()[-1:] == [wanted])
    return None


def _first(pattern, text):
    m = pattern.search(text)
    return m.group(1) if m else None

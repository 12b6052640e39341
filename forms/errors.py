"""FormError: the one exception forms/ raises, with a stable code and zh/en text.

Callers (the API, the CLI, a worker job) show `message` and `details` as they are and
branch on `code`; they never see a pyxform or Java exception.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")

SUMMARIES = {
    "form.invalid": ("XLSForm 有错误，无法转换。", "The XLSForm has errors and cannot be converted."),
    "form.not_xlsform": (
        "文件不是可读的 XLSForm（支持 .xlsx、.xls、.csv、.md）。",
        "The file is not a readable XLSForm (.xlsx, .xls, .csv or .md).",
    ),
    "form.too_large": ("文件超过 {limit_mb} MB 的上限。", "The file is larger than the {limit_mb} MB limit."),
    "form.zip_bomb": (
        "文件解压后过大或结构异常，已拒绝（疑似压缩炸弹）。",
        "The file would expand to an unsafe size or has an abnormal structure (suspected zip bomb).",
    ),
    "form.validate_failed": (
        "ODK Validate 检查未通过：ODK Collect 将无法打开此问卷。",
        "ODK Validate rejected the form: ODK Collect would not be able to open it.",
    ),
    "form.validator_unavailable": (
        "无法运行 ODK Validate（需要 Java），问卷未检查。",
        "ODK Validate could not run (Java is required); the form was not checked.",
    ),
    "form.field_map_invalid": (
        "字段映射有误：{keys} 不是表单约定中的字段。",
        "The field map is invalid: {keys} not in the form contract.",
    ),
}


def detail(code: str, zh: str, en: str, lang: str, sheet: str | None = None, row: int | None = None,
           column: str | None = None) -> dict[str, Any]:
    """One located problem, shaped for JSON.

    {code, sheet, row, column, message, text}: `code` says what kind of problem it is
    (name.duplicate, header.duplicate, expression.invalid, ...), `message` is in `lang`,
    and `text` has both languages so a page can switch without asking again.
    """
    return {"code": code, "sheet": sheet, "row": row, "column": column,
            "message": zh if lang == "zh" else en, "text": {"zh": zh, "en": en}}


def where(d: dict[str, Any], lang: str) -> str:
    """'survey 表第 3 行 name 列' / "sheet 'survey', row 3, column 'name'" (known parts only)."""
    if lang == "zh":
        parts = [f"{d['sheet']} 表" if d["sheet"] else "", f"第 {d['row']} 行" if d["row"] else "",
                 f"{d['column']} 列" if d["column"] else ""]
        return "，".join(p for p in parts if p)
    parts = [f"sheet '{d['sheet']}'" if d["sheet"] else "", f"row {d['row']}" if d["row"] else "",
             f"column '{d['column']}'" if d["column"] else ""]
    return ", ".join(p for p in parts if p)


class FormError(Exception):
    """A form could not be accepted. `code` is stable; `details` lists located problems."""

    def __init__(self, code: str, message: str, details: list[dict[str, Any]] | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = list(details or [])

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "details": self.details}


def form_error(code: str, lang: str = "zh", details: list[dict[str, Any]] | None = None,
               **fmt: Any) -> FormError:
    """Build a FormError whose message is the summary plus the first located detail."""
    zh, en = SUMMARIES[code]
    message = (zh if lang == "zh" else en).format(**fmt)
    if details:
        first = details[0]
        place = where(first, lang)
        sep = "：" if lang == "zh" else ": "
        message += " " + (place + sep if place else "") + first["message"]
        if len(details) > 1:
            message += f"（另有 {len(details) - 1} 处）" if lang == "zh" else f" (+{len(details) - 1} more)"
    return FormError(code, message, details)

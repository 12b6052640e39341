"""The pyxform adapter: XLSForm bytes in, XForm text, warnings, itemsets and a row index out.

Together with validate.py this is the only code that runs pyxform, whose Python API
changes between releases; keep every call to it here, small and pinned by tests.
pyxform is imported when a form is converted, not when this module is (CLI start-up).
"""

from __future__ import annotations

import dataclasses
import io
import warnings
from dataclasses import dataclass

from forms.errors import detail, form_error, where
from forms.messages import pyxform_detail
from forms.rows import RowIndex


@dataclass(frozen=True)
class Converted:
    xml: str
    warnings: tuple[str, ...]
    rows: RowIndex
    itemsets: str | None = None   # external_choices as CSV: served as itemsets.csv
    sheets: tuple[str, ...] = ()
    warning_details: tuple[dict, ...] = ()   # the warnings located, in both languages


def to_xform(data: bytes, ext: str, stem: str, lang: str) -> Converted:
    """Convert an XLSForm; raises FormError form.not_xlsform or form.invalid."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert as pyxform_convert

    workbook = _read(data, ext, lang)
    headers = sheet_headers(workbook)
    rows = RowIndex(workbook.survey or [], headers.get("survey", ()))
    # Pass the sheets as a dict so the upload's file name, not "data", is the fallback form_id.
    sheets = {f.name: getattr(workbook, f.name) for f in dataclasses.fields(workbook)}
    sheets["fallback_form_name"] = stem
    warnings: list[str] = []
    try:
        result = pyxform_convert(sheets, warnings=warnings)
    except PyXFormError as err:
        raise form_error("form.invalid", lang, [pyxform_detail(str(err), lang, rows, headers)]) from None
    except Exception as err:  # pyxform lets KeyError/ValueError escape on odd sheets
        why = f"{type(err).__name__}: {err}"
        crashed = detail("pyxform.crashed", f"pyxform 无法读取此表单（{why}）。",
                         f"pyxform could not read the form ({why}).", lang)
        raise form_error("form.invalid", lang, [crashed]) from None
    located = [pyxform_detail(w, lang, rows, headers) for w in result.warnings]
    return Converted(result.xform, tuple(_warning_text(d, lang) for d in located), rows,
                     result.itemsets or None, tuple(workbook.sheet_names or ()), tuple(located))


def sheet_headers(workbook) -> dict[str, list[str]]:
    """{sheet: its column headers as written}, for naming columns the author's way."""
    found = {}
    for name in ("survey", "choices", "settings", "external_choices", "entities"):
        header_rows = getattr(workbook, f"{name}_header", None) or []
        found[name] = [h for row in header_rows for h in row]
    return found


def _warning_text(d: dict, lang: str) -> str:
    place, sep = where(d, lang), "：" if lang == "zh" else ": "
    return f"{place}{sep}{d['message']}" if place else d["message"]


def _read(data: bytes, ext: str, lang: str):
    """Parse the workbook into sheets; anything unreadable is form.not_xlsform."""
    from pyxform.xls2json_backends import get_xlsform

    try:
        with warnings.catch_warnings():
            # openpyxl warns of what it skips in workbooks saved by other tools (no default style, a
            # header or footer it cannot parse, unknown document properties): none of it is the form,
            # and where warnings are errors (the test suite) it must not make the workbook unreadable.
            warnings.filterwarnings("ignore", category=UserWarning, module=r"openpyxl\.")
            return get_xlsform(io.BytesIO(data), file_type=ext)
    except Exception as err:  # each reader raises whatever its parser (openpyxl, xlrd) raises
        why = _first_line(err)
        unreadable = detail("file.unreadable", f"无法读取工作簿：{why}", f"The workbook cannot be read: {why}", lang)
        raise form_error("form.not_xlsform", lang, [unreadable]) from None


def _first_line(err: Exception) -> str:
    return str(err).strip().split("\n", 1)[0] or type(err).__name__

"""The pyxform adapter: XLSForm bytes in, XForm text, warnings and a row index out.

Together with validate.py this is the only code that imports pyxform, whose Python API
changes between releases; keep every call to it here, small and pinned by tests.
"""

from __future__ import annotations

import dataclasses
import io
import re
from dataclasses import dataclass

from pyxform.errors import PyXFormError
from pyxform.xls2json_backends import get_xlsform
from pyxform.xls2xform import convert as pyxform_convert

from forms.errors import detail, form_error
from forms.messages import pyxform_detail
from forms.rows import RowIndex


@dataclass(frozen=True)
class Converted:
    xml: str
    warnings: tuple[str, ...]
    rows: RowIndex


def to_xform(data: bytes, ext: str, stem: str, lang: str) -> Converted:
    """Convert an XLSForm; raises FormError form.not_xlsform or form.invalid."""
    workbook = _read(data, ext, lang)
    rows = RowIndex(workbook.survey or [])
    # Pass the sheets as a dict so the upload's file name, not "data", is the fallback form_id.
    sheets = {f.name: getattr(workbook, f.name) for f in dataclasses.fields(workbook)}
    sheets["fallback_form_name"] = stem
    warnings: list[str] = []
    try:
        result = pyxform_convert(sheets, warnings=warnings)
    except PyXFormError as err:
        raise form_error("form.invalid", lang, [_locate(str(err), rows, lang)]) from None
    except Exception as err:  # pyxform lets KeyError/ValueError escape on odd sheets
        raise form_error("form.invalid", lang, [detail(f"{type(err).__name__}: {err}")]) from None
    return Converted(result.xform, tuple(result.warnings), rows)


def _read(data: bytes, ext: str, lang: str):
    """Parse the workbook into sheets; anything unreadable is form.not_xlsform."""
    try:
        return get_xlsform(io.BytesIO(data), file_type=ext)
    except Exception as err:  # each reader raises whatever its parser (openpyxl, xlrd) raises
        raise form_error("form.not_xlsform", lang, [detail(_first_line(err))]) from None


def _locate(text: str, rows: RowIndex, lang: str) -> dict:
    """A pyxform error as a detail; fill in the row pyxform left out where we can find it."""
    d = pyxform_detail(text, lang)
    if d["row"] is None:
        m = re.search(r"Unknown question type '(.+?)'|element named '(.+?)'", text)
        if m and m.group(1):
            d.update(sheet="survey", row=rows.row_of_type(m.group(1)))
        elif m:
            d.update(sheet="survey", row=rows.row_of_name(m.group(2)))
    if "sheet named 'survey'" in text:
        d["sheet"] = "survey"
    return d


def _first_line(err: Exception) -> str:
    return str(err).strip().split("\n", 1)[0] or type(err).__name__

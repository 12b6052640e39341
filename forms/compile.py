"""compile_xlsform: an uploaded XLSForm in, a CompiledForm (or a FormError) out.

Steps, each of which can stop with a FormError: file type and size, zip safety, pyxform,
ODK Validate, then reading the XForm back to describe it.
"""

from __future__ import annotations

import os
from pathlib import Path

from forms import convert, fields, safety, xform
from forms.errors import LANGS
from forms.model import CompiledForm
from forms.safety import Limits
from forms.validate import DEFAULT_TIMEOUT, odk_validate


def compile_xlsform(
    source: str | os.PathLike | bytes | bytearray | memoryview,
    filename: str | None = None,
    *,
    validate: bool = True,
    lang: str = "zh",
    limits: Limits = Limits(),
    validate_timeout: float = DEFAULT_TIMEOUT,
) -> CompiledForm:
    """Compile an XLSForm (.xlsx, .xlsm, .xls, .csv, .md) given as a path or as bytes.

    `filename` names the upload (its extension picks the reader, its stem is the fallback
    form_id); it defaults to the path's name. `lang` ('zh' or 'en') is the language of
    error messages. Raises FormError: form.not_xlsform, form.too_large, form.zip_bomb,
    form.invalid, form.validate_failed, form.validator_unavailable.
    """
    lang = lang if lang in LANGS else "zh"
    if isinstance(source, (bytearray, memoryview)):
        source = bytes(source)
    filename = filename or (os.fspath(source) if not isinstance(source, bytes) else "")
    ext = safety.file_type(filename, lang)
    data = safety.read_checked(source, ext, limits, lang)
    converted = convert.to_xform(data, ext, Path(filename).stem, lang)
    warnings = converted.warnings
    if validate:
        warnings += odk_validate(converted.xml, converted.rows, lang, timeout=validate_timeout)
    return describe(converted.xml, warnings)


def describe(xml: str, warnings: tuple[str, ...] = ()) -> CompiledForm:
    """Build the CompiledForm for an XForm text by parsing it."""
    doc = xform.parse(xml)
    return CompiledForm(
        xml=xml,
        fields=fields.read_fields(doc),
        media=xform.media_files(doc),
        warnings=tuple(warnings),
        **xform.header(doc),
    )

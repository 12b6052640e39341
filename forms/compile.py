"""compile_xlsform: an uploaded XLSForm in, a CompiledForm (or a FormError) out.

Steps, each of which can stop with a FormError: file type and size, zip safety, pyxform,
ODK Validate, then reading the XForm back to describe it.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from forms import convert, fields, media, safety, validate_messages, xform
from forms.errors import LANGS, detail
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
    warnings, located = converted.warnings, converted.warning_details
    if validate:
        found = odk_validate(converted.xml, converted.rows, lang, timeout=validate_timeout)
        validate_warnings = tuple(validate_messages.warning(w, lang) for w in found)
        warnings += tuple(d["message"] for d in validate_warnings)
        located += validate_warnings
    compiled = describe(converted.xml, warnings, converted.itemsets, located)
    if media.declares_entities(xform.parse(converted.xml)):
        entities = detail("entities.ignored", ENTITIES_WARNING["zh"], ENTITIES_WARNING["en"], lang)
        compiled = dataclasses.replace(compiled, warnings=compiled.warnings + (ENTITIES_WARNING[lang],),
                                       warning_details=compiled.warning_details + (entities,))
    return compiled


# fieldcheck keeps no entity lists: the list the phones read is its own household register.
ENTITIES_WARNING = {
    "zh": "entities 表：fieldcheck 不创建、不更新实体列表，提交照常保存，但 save_to 的值不会写入任何实体列表。"
          "手机读取的住户名单由 fieldcheck 生成（fc_households.csv，select_one_from_file 或 pulldata 引用即可）；"
          "其他 CSV 名单请作为普通媒体文件上传。",
    "en": "entities sheet: fieldcheck does not create or update entity lists. Submissions are stored "
          "as usual, but save_to values go into no entity list. The household list the phones read "
          "is fieldcheck's own (fc_households.csv, referenced with select_one_from_file or pulldata); "
          "upload any other CSV list as an ordinary media file.",
}


def describe(xml: str, warnings: tuple[str, ...] = (), itemsets: str | None = None,
             warning_details: tuple[dict, ...] = ()) -> CompiledForm:
    """Build the CompiledForm for an XForm text by parsing it."""
    doc = xform.parse(xml)
    refs = media.references(doc)
    return CompiledForm(
        xml=xml,
        fields=fields.read_fields(doc),
        media=tuple(sorted(r.filename for r in refs)),
        media_refs=refs,
        itemsets=itemsets,
        warnings=tuple(warnings),
        warning_details=tuple(warning_details),
        **xform.header(doc),
    )

"""Checks on an uploaded file before any parser touches it.

Order matters: the size is checked before the file is read, and an .xlsx's zip directory
(member count, declared sizes, ratios) before openpyxl inflates anything. Declared sizes
can lie, but Python's zipfile never inflates a member past its declared size, so a
member that lies is cut short and fails to parse instead of filling memory.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

from forms.errors import detail, form_error

MB = 1024 * 1024

ZIP_TYPES = (".xlsx", ".xlsm")
OLE_TYPES = (".xls",)
TEXT_TYPES = (".csv", ".md")
SUPPORTED = ZIP_TYPES + OLE_TYPES + TEXT_TYPES

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass(frozen=True)
class Limits:
    """Upload limits. A real 3,000-row XLSForm is ~0.3 MB zipped and ~3 MB unzipped."""

    max_bytes: int = 50 * MB
    max_unzipped: int = 300 * MB
    max_ratio: int = 200          # per member; xlsx XML compresses ~5-30x
    ratio_floor: int = 1 * MB     # members smaller than this cannot be a bomb on their own
    max_members: int = 1000


def file_type(filename: str, lang: str) -> str:
    """The lower-case extension, if it is one pyxform reads; else form.not_xlsform."""
    ext = Path(filename or "").suffix.lower()
    if ext not in SUPPORTED:
        shown = ext or "(none)"
        raise form_error("form.not_xlsform", lang, [detail(
            "file.unsupported_type", f"不支持的文件类型 '{ext or '(无扩展名)'}'。",
            f"Unsupported file type '{shown}'.", lang)])
    return ext


def read_checked(source: str | os.PathLike | bytes, ext: str, limits: Limits, lang: str) -> bytes:
    """Read the upload after checking its size, then check its format. Returns the bytes."""
    size = len(source) if isinstance(source, bytes) else os.path.getsize(source)
    if size > limits.max_bytes:
        raise form_error("form.too_large", lang, limit_mb=limits.max_bytes // MB)
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    check_format(data, ext, limits, lang)
    return data


def check_format(data: bytes, ext: str, limits: Limits, lang: str) -> None:
    """The content must match the extension (a PNG renamed .xlsx stops here)."""
    if ext in ZIP_TYPES:
        if not data.startswith(_ZIP_MAGIC):
            raise _not_xlsform(ext, lang)
        check_zip(data, limits, lang)
    elif ext in OLE_TYPES:
        if not data.startswith(_OLE_MAGIC):
            raise _not_xlsform(ext, lang)
    elif b"\x00" in data or not _is_utf8(data):
        raise _not_xlsform(ext, lang)


def check_zip(data: bytes, limits: Limits, lang: str) -> None:
    """Reject zip bombs from the central directory alone, without inflating anything."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_xlsform(".xlsx", lang) from None
    if len(infos) > limits.max_members:
        raise _bomb(lang, f"{len(infos)} members > {limits.max_members}")
    total = sum(i.file_size for i in infos)
    if total > limits.max_unzipped:
        raise _bomb(lang, f"{total // MB} MB unzipped > {limits.max_unzipped // MB} MB")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise _bomb(lang, f"{info.filename}: ratio {ratio:.0f} > {limits.max_ratio}")
    if "[Content_Types].xml" not in names:
        raise _not_xlsform(".xlsx", lang)


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _not_xlsform(ext: str, lang: str):
    return form_error("form.not_xlsform", lang, [detail(
        "file.content_mismatch", f"文件内容与扩展名 {ext} 不符。",
        f"The file's content does not match its {ext} extension.", lang)])


def _bomb(lang: str, why: str):
    return form_error("form.zip_bomb", lang, [detail("file.zip_bomb", f"压缩结构异常：{why}", why, lang)])

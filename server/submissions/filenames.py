"""Sanitise attachment file names so nothing is ever written outside the media store.

Collect names attachments by their basename (`1738311111111.jpg`), but a multipart part
can carry anything: `../../etc/passwd`, `..\\x`, absolute paths, NUL bytes, control or
bidi-override characters. We keep the last path segment, keep non-ASCII (Chinese) names,
and bound the UTF-8 length while keeping the extension. The result is never '', '.' or
'..'; different hostile names may map to the same safe name, so callers dedupe.
"""
import os
import re
import unicodedata

MAX_NAME_BYTES = 200  # well under the 255-byte limit of common file systems
MAX_EXTENSION_CHARS = 16
FALLBACK_NAME = "attachment"
_WINDOWS_UNSAFE = re.compile(r'[<>:"|?*]')
_WINDOWS_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$", re.IGNORECASE)


def safe_filename(name, max_bytes=MAX_NAME_BYTES):
    """A safe basename for `name` (str or bytes): no separators, never empty or dot-only."""
    if isinstance(name, bytes):
        name = name.decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFC", str(name))
    text = text.replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in text if not _is_control(ch))
    text = _WINDOWS_UNSAFE.sub("_", text)
    # Leading dots hide files (Collect itself skips them); trailing dots/spaces vanish on Windows.
    text = text.strip().lstrip(".").rstrip(". ")
    if not text:
        text = FALLBACK_NAME
    if _WINDOWS_RESERVED.match(text):
        text = "_" + text
    return _truncate(text, max(max_bytes, 16))


def safe_join(base_dir, name):
    """`base_dir`/safe_filename(name), checked to resolve inside `base_dir`."""
    base = os.path.realpath(base_dir)
    path = os.path.realpath(os.path.join(base, safe_filename(name)))
    if os.path.commonpath([base, path]) != base or path == base:
        raise ValueError(f"unsafe attachment name: {name!r}")
    return path


def _is_control(ch):
    # Cc: C0/C1 controls incl. NUL; Cf: format chars such as U+202E (right-to-left override).
    # Cs: lone surrogates, which cannot be encoded to a file name.
    return unicodedata.category(ch) in ("Cc", "Cf", "Cs")


def _truncate(text, max_bytes):
    if len(text.encode("utf-8")) <= max_bytes:
        return text
    stem, dot, ext = text.rpartition(".")
    if not dot or not stem or len(ext) > MAX_EXTENSION_CHARS:
        return _cut(text, max_bytes)
    suffix = "." + ext
    return _cut(stem, max_bytes - len(suffix.encode("utf-8"))) + suffix


def _cut(text, max_bytes):
    # Cut on a character boundary so a multi-byte (Chinese) character is never split.
    return text.encode("utf-8")[:max_bytes].decode("utf-8", errors="ignore").rstrip(". ") or "_"

"""Checks on an uploaded register file before any parser reads it.

In this order: its size (read at most one byte past the limit), that its content is what its name says
(a PNG or an old .xls renamed .xlsx, an .xlsx renamed .csv), an .xlsx's zip directory (a zip bomb stops
here, from the declared sizes, before openpyxl inflates anything; zipfile never inflates a member past
its declared size, so a member that lies is cut short and fails to parse), and the text encoding of a
CSV or JSON-lines file: one in GBK/GB18030, as Excel saves "CSV" on Chinese Windows, is refused with how
to save it as UTF-8, never guessed at (a wrong guess would put garbled names in the register).
"""
import io
import zipfile

from server.infra.errors import Problem
from server.infra.i18n import msg

MB = 1024 * 1024
MAX_FILE_BYTES = 100 * MB          # 200,000 households as CSV are about 60 MB
MAX_UNZIPPED = 1024 * MB           # the sheets of a 200,000-household .xlsx, inflated
MAX_RATIO = 200                    # per member; spreadsheet XML compresses 5-40 times
RATIO_FLOOR = MB                   # a member smaller than this cannot be a bomb on its own
MAX_MEMBERS = 1000
TYPES = (".csv", ".xlsx", ".jsonl", ".ndjson")

_ZIP, _OLE = b"PK\x03\x04", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def kind_of(filename):
    """The file's type from its name: csv, xlsx or jsonl. Raises Problem import.bad_format (400)."""
    name = (filename or "").lower()
    for ext in TYPES:
        if name.endswith(ext):
            return "jsonl" if ext == ".ndjson" else ext[1:]
    raise Problem("import.bad_format", msg("Send a .csv, .xlsx or .jsonl file."), 400)


def read_checked(stream, filename):
    """(kind, bytes) of an upload that passed every check; raises Problem (see the module)."""
    kind = kind_of(filename)
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise too_large()
    if not data.strip():
        raise Problem("import.empty", msg("The file is empty."), 400)
    if kind == "xlsx":
        check_xlsx(data)
    else:
        check_text(data, kind)
    return kind, data


def too_large():
    return Problem("import.too_large", msg("The file is larger than %(mb)d MB; split the register into "
                                           "several files (each import is all or nothing).",
                                           mb=MAX_FILE_BYTES // MB), 413,
                   [{"limit_mb": MAX_FILE_BYTES // MB}])


def check_xlsx(data):
    if data.startswith(_OLE):
        raise Problem("import.old_excel", msg("This is an old Excel file (.xls) named .xlsx; save it as "
                                              ".xlsx (Excel workbook) and send it again."), 400)
    if not data.startswith(_ZIP):
        raise _not_a("xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _not_a("xlsx") from None
    names = {info.filename for info in infos}
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise _not_a("xlsx")
    if len(infos) > MAX_MEMBERS:
        raise _bomb(f"{len(infos)} parts > {MAX_MEMBERS}")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED:
        raise _bomb(f"{total // MB} MB unzipped > {MAX_UNZIPPED // MB} MB")
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise _bomb(f"{info.filename} inflates {ratio:.0f} times (> {MAX_RATIO})")


def check_text(data, kind):
    if data.startswith((_ZIP, _OLE)):
        raise Problem("import.spreadsheet_as_text", msg(
            "This file is a spreadsheet, not a .%(kind)s text file; name it .xlsx (or save the sheet as CSV "
            "UTF-8).", kind=kind), 400)
    if b"\x00" in data[:65536]:
        raise _not_a(kind)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        if _is_gb18030(data):
            raise Problem("import.gbk", msg(
                "The file is in GBK (GB18030), not UTF-8 (first at line %(line)d). In Excel choose Save As > "
                "'CSV UTF-8 (comma delimited)', or send the .xlsx.", line=line), 400,
                          [{"line": line, "encoding": "gb18030"}]) from None
        raise Problem("import.bad_encoding", msg("The file is not UTF-8 text (line %(line)d).", line=line),
                      400, [{"line": line}]) from None


def _is_gb18030(data):
    try:
        data.decode("gb18030")
    except UnicodeDecodeError:
        return False
    return True


def _not_a(kind):
    return Problem("import.not_" + kind, msg("The file's content is not a .%(kind)s file, whatever its name "
                                             "says.", kind=kind), 400, [{"kind": kind}])


def _bomb(why):
    return Problem("import.zip_bomb", msg("The .xlsx file's zip structure is not a spreadsheet's "
                                          "(%(why)s); nothing was read.", why=why), 400, [{"reason": why}])

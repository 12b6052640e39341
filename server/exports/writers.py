"""Writers of the export tables: CSV files (one per table) and an XLSX workbook (one sheet per table).

Both take rows as they come (`add(table name, rows)`) and hold none of them: CSV rows go to their file,
XLSX rows to XlsxWriter's constant-memory temp files. `close()` returns the files written.
"""
import csv
import os
import re
import zipfile

import xlsxwriter

from server.exports import flatten

XLSX_MAX_ROWS = 1_048_576
SHEET_NAME_MAX = 31
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")


class CsvTables:
    """One CSV file per table in `folder`; `bom` puts a UTF-8 byte order mark first (Excel on Windows)."""

    def __init__(self, folder, tables, bom=False, label_language=None):
        self.files, self.handles, self.writers = [], {}, {}
        for table in tables:
            path = os.path.join(folder, f"{safe_file_name(table.name)}.csv")
            handle = open(path, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
            writer = csv.writer(handle)
            writer.writerow(flatten.headers(table))
            if label_language:
                writer.writerow(flatten.labels(table, label_language))
            self.files.append(path)
            self.handles[table.name], self.writers[table.name] = handle, writer

    def add(self, name, rows):
        self.writers[name].writerows(rows)  # the csv module writes None as "" and numbers as Python does

    def close(self):
        for handle in self.handles.values():
            handle.close()
        return self.files


class XlsxTables:
    """A workbook with one sheet per table (continued on further sheets past Excel's row limit): column
    names in row 1, labels in `label_language` in row 2."""

    def __init__(self, path, tables, label_language="zh-Hans"):
        self.path, self.language = path, label_language
        # use_zip64: a million interviews make a sheet's XML larger than 4 GB before compression; ZIP64
        # records are written only for such a member, so smaller workbooks are as before.
        self.book = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False,
                                               "strings_to_urls": False, "strings_to_numbers": False,
                                               "use_zip64": True})
        self.bold = self.book.add_format({"bold": True})
        self.names, self.sheets = set(), {}
        for table in tables:
            self.sheets[table.name] = self._new_sheet(table, 1)

    def _new_sheet(self, table, part):
        name = sheet_name(table.name, part, self.names)
        self.names.add(name.lower())
        sheet = self.book.add_worksheet(name)
        sheet.write_row(0, 0, flatten.headers(table), self.bold)
        sheet.write_row(1, 0, flatten.labels(table, self.language))
        sheet.freeze_panes(2, 0)
        return {"table": table, "sheet": sheet, "row": 2, "part": part}

    def add(self, name, rows):
        state = self.sheets[name]
        for row in rows:
            if state["row"] >= XLSX_MAX_ROWS:
                state = self.sheets[name] = self._new_sheet(state["table"], state["part"] + 1)
            sheet, index = state["sheet"], state["row"]
            for column, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, str):
                    sheet.write_string(index, column, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(index, column, value)
                else:
                    sheet.write_number(index, column, value)
            state["row"] = index + 1

    def close(self):
        self.book.close()
        return [self.path]


def sheet_name(name, part, taken):
    """A valid, unique sheet name: no []:*?/\\, at most 31 characters, " (2)" on continuation sheets."""
    suffix = f" ({part})" if part > 1 else ""
    base = _SHEET_BAD.sub("_", name).strip("'") or "sheet"
    candidate = base[:SHEET_NAME_MAX - len(suffix)] + suffix
    counter = 2
    while candidate.lower() in taken:
        tail = f"~{counter}{suffix}"
        candidate = base[:SHEET_NAME_MAX - len(tail)] + tail
        counter += 1
    return candidate


def safe_file_name(name):
    """A file name from a form or table name: no path separators or control characters."""
    cleaned = re.sub(r"[\x00-\x1f/\\:*?\"<>|]", "_", name).strip(". ")
    return cleaned[:150] or "export"


def zip_files(path, files):
    # Level 1: a third of the time of the default level, for files some 20% larger.
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=1) as archive:
        for file in files:
            archive.write(file, os.path.basename(file))
    return path

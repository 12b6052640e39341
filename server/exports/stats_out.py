"""SPSS (.sav) and Stata (.dta) files with variable and value labels from the form, via pyreadstat.

pyreadstat writes a whole data frame, so these files are built in memory (at most EXPORT_STATS_MAX_ROWS
interviews, checked before the job starts). Names become valid variable names ("place-village_name" ->
"place_village_name", at most 64 bytes for SPSS, 32 characters for Stata, unique); numbers stay numbers;
a select-one has value labels: on its text values in SPSS, on integer codes 1..n (choice order) in Stata,
which labels numbers only; the 0/1 columns of a select-multiple are labelled too.
"""
import os
import re

import pandas
import pyreadstat

from forms.labels import pick
from server.exports import flatten
from server.exports.writers import zip_files

NUMERIC_TYPES = ("integer", "decimal", "range")
NUMERIC_META = ("AttachmentsPresent", "AttachmentsExpected")
LIMITS = {"sav": 64, "dta": 32}
STATA_STRING_MAX = 2045
_INVALID = re.compile(r"[^0-9A-Za-z_]")


class StatsSink:
    def __init__(self, folder, tables, params, base):
        self.folder, self.tables, self.base = folder, tables, base
        self.fmt, self.language = params["format"], params["labels"]
        self.rows = {t.name: [] for t in tables}

    def add(self, name, rows):
        self.rows[name].extend(rows)

    def media(self, record, decrypted=None):
        """SPSS and Stata files hold no media."""

    def finish(self):
        written = [self._write(table) for table in self.tables]
        if len(written) == 1:
            return written[0], os.path.basename(written[0])
        name = f"{self.base}.{self.fmt}.zip"
        return zip_files(os.path.join(self.folder, name), written), name

    def _write(self, table):
        headers, labels = flatten.headers(table), flatten.labels(table, self.language)
        names = variable_names(headers, LIMITS[self.fmt])
        kinds = _kinds(table, headers)
        frame = pandas.DataFrame(self.rows.pop(table.name), columns=names)
        value_labels = {}
        for name, header, kind in zip(names, headers, kinds):
            frame[name], value_labels[name] = self._column(frame[name], kind)
        path = os.path.join(self.folder, f"{table.name}.{self.fmt}")
        column_labels = dict(zip(names, (label or header for label, header in zip(labels, headers))))
        value_labels = {k: v for k, v in value_labels.items() if v}
        if self.fmt == "sav":
            pyreadstat.write_sav(frame, path, column_labels=column_labels, variable_value_labels=value_labels)
        else:
            pyreadstat.write_dta(frame, path, column_labels={k: v[:80] for k, v in column_labels.items()},
                                 variable_value_labels=value_labels, version=15)
        return path

    def _column(self, series, kind):
        """(converted series, value labels or None) for a column of `kind` (a layout Column or a name)."""
        zh = self.language.startswith("zh")
        if kind == "number":
            return pandas.to_numeric(series, errors="coerce"), None
        if kind == "choice":
            return pandas.to_numeric(series, errors="coerce"), {0: "未选" if zh else "not selected",
                                                                1: "已选" if zh else "selected"}
        if isinstance(kind, tuple):  # a select-one's choices
            labels = {value: pick(label, self.language) or value for value, label in kind}
            values = series.where(series.notna(), None)
            if self.fmt == "sav":
                return values.fillna(""), labels
            codes = {value: index for index, (value, _) in enumerate(kind, start=1)}
            if set(values.dropna()) <= set(codes):
                return values.map(codes), {codes[v]: text for v, text in labels.items()}
        text = series.map(lambda v: "" if v is None or v != v else str(v))
        if self.fmt == "dta":
            text = text.str.slice(0, STATA_STRING_MAX)
        return text, None


def _kinds(table, headers):
    by_name = {c.name: c for c in table.columns}
    kinds = []
    for header in headers:
        column = by_name.get(header)
        if column is None:
            kinds.append("number" if header in NUMERIC_META else "text")
        elif column.kind == "gps" or column.field_type in NUMERIC_TYPES:
            kinds.append("number")
        elif column.kind == "choice":
            kinds.append("choice")
        elif column.field_type == "select_one" and column.choices:
            kinds.append(column.choices)
        else:
            kinds.append("text")
    return kinds


def variable_names(headers, limit):
    """Valid, unique variable names for `headers` (letters, digits, _; a letter first)."""
    taken, names = set(), []
    for header in headers:
        base = _INVALID.sub("_", header).strip("_") or "v"
        if not base[0].isalpha():
            base = "v" + base
        candidate, counter = base[:limit], 2
        while candidate.lower() in taken:
            tail = f"_{counter}"
            candidate, counter = base[:limit - len(tail)] + tail, counter + 1
        taken.add(candidate.lower())
        names.append(candidate)
    return names

"""Where each row sits: row numbers of the survey and choices sheets by name, type and path.

pyxform and ODK Validate do not always say which row a problem is on (an unknown type,
a bad expression in a bind); this index finds it from what they do say. Headers are read
as pyxform reads them (forms.columns), so `Type` and `Name` work like `type` and `name`.
"""

from __future__ import annotations

from typing import Iterable, Mapping

from forms import columns

_OPEN = {"begin_group", "begin_repeat", "begin group", "begin repeat", "begin_loop", "begin loop"}
_CLOSE = {"end_group", "end_repeat", "end group", "end repeat", "end_loop", "end loop"}
FIRST_DATA_ROW = 2  # row 1 holds the column headers


class RowIndex:
    """Row numbers (as a spreadsheet shows them) of the survey sheet's rows."""

    def __init__(self, survey: Iterable[Mapping[str, str]], headers: Iterable[str] = ()):
        self.rows: list[tuple[int, dict]] = []
        self.headers: list[str] = list(headers)
        self._by_path: dict[tuple[str, ...], int] = {}
        self._by_name: dict[str, int] = {}
        self._by_type: dict[str, int] = {}
        stack: list[str] = []
        for number, row in enumerate(survey, start=FIRST_DATA_ROW):
            row = dict(row)
            self.rows.append((number, row))
            self.headers.extend(h for h in row if h not in self.headers)
            kind = str(columns.value(row, "type") or "").strip()
            name = str(columns.value(row, "name") or "").strip()
            self._by_type.setdefault(kind, number)
            if kind.lower() in _CLOSE:
                stack = stack[:-1]
                continue
            if name:
                self._by_path.setdefault((*stack, name), number)
                self._by_name.setdefault(name, number)
            if kind.lower() in _OPEN:
                stack.append(name)

    def row_of_type(self, kind: str) -> int | None:
        return self._by_type.get(kind)

    def row_of_name(self, name: str) -> int | None:
        return self._by_name.get(name)

    def row_of_path(self, path: str) -> int | None:
        """Row of an instance path like /data/group/name (the root element is skipped)."""
        parts = tuple(p for p in path.split("/") if p)[1:]
        return self._by_path.get(parts) or (self._by_name.get(parts[-1]) if parts else None)

    def cell(self, row: int | None, column: str):
        """The cell of survey row `row` for a canonical column, or None."""
        found = next((r for n, r in self.rows if n == row), None)
        return columns.value(found, column) if found else None

    def row_where(self, column: str, predicate) -> int | None:
        """The first row whose `column` cell satisfies `predicate`."""
        return next((n for n, r in self.rows
                     if (v := columns.value(r, column)) is not None and predicate(str(v))), None)

    def header(self, column: str | None) -> str | None:
        """The survey header as the author wrote it for a canonical column."""
        return columns.written(self.headers, column)

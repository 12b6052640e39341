"""Where each survey row sits: row numbers by name, by type and by instance path.

pyxform and ODK Validate do not always say which row a problem is on (an unknown type,
a bad expression in a bind); this index finds it from what they do say.
"""

from __future__ import annotations

from typing import Iterable, Mapping

_OPEN = {"begin_group", "begin_repeat", "begin group", "begin repeat"}
_CLOSE = {"end_group", "end_repeat", "end group", "end repeat"}
FIRST_DATA_ROW = 2  # row 1 holds the column headers


class RowIndex:
    """Row numbers (as a spreadsheet shows them) of the survey sheet's rows."""

    def __init__(self, survey: Iterable[Mapping[str, str]]):
        self._by_path: dict[tuple[str, ...], int] = {}
        self._by_name: dict[str, int] = {}
        self._by_type: dict[str, int] = {}
        stack: list[str] = []
        for number, row in enumerate(survey, start=FIRST_DATA_ROW):
            kind = str(row.get("type") or "").strip()
            name = str(row.get("name") or "").strip()
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

"""Column headers matched the way pyxform matches them.

Authors write `Type`, `Relevant`, `label::中文 (zh)` or `media::image::English (en)`; pyxform
snake-cases the first token and resolves aliases before it looks at a column. Messages must
name the column as the author wrote it, so this module asks pyxform's own header parser
which written header a canonical column (`relevant`, `label`, `choice_filter`) stands for.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Iterable


@lru_cache(maxsize=1)
def _aliases() -> dict:
    from pyxform import aliases

    return {"survey": aliases.survey_header, "choices": aliases.list_header,
            "external_choices": aliases.list_header, "settings": aliases.settings_header,
            "entities": aliases.entities_header}


@lru_cache(maxsize=4096)
def tokens(header: str, sheet: str = "survey") -> tuple[str, ...]:
    """pyxform's reading of one header: ('bind', 'relevant'), ('label', '中文 (zh)'), ..."""
    if not isinstance(header, str) or not header.strip():
        return ()
    from pyxform.parsing.sheet_headers import process_header

    _, parts = process_header(header.strip(), False, _aliases().get(sheet, {}), _known_columns(sheet))
    return tuple(parts)


@lru_cache(maxsize=8)
def _known_columns(sheet: str) -> frozenset:
    """The columns pyxform knows for a sheet: only those are matched case-insensitively."""
    from pyxform.question import MultipleChoiceQuestion, Option
    from pyxform.survey import Survey

    if sheet == "survey":
        return frozenset(MultipleChoiceQuestion.get_slot_names())
    if sheet == "settings":
        return frozenset(Survey.get_slot_names())
    return frozenset(Option.get_slot_names())


def matches(header: str, column: str, sheet: str = "survey") -> bool:
    """True when `header` as written is the canonical `column` (any language suffix allowed)."""
    want, have = tokens(column, sheet), tokens(header, sheet)
    return bool(want) and have[:len(want)] == want


def written(headers: Iterable[str], column: str | None, sheet: str = "survey") -> str | None:
    """The header the author wrote for `column` (the first of several languages); else `column`."""
    if not column:
        return column
    found = [h for h in headers if isinstance(h, str) and matches(h, column, sheet)]
    return found[0] if found else column


def value(row: dict, column: str, sheet: str = "survey"):
    """A row's cell for a canonical column, whatever case or alias its header uses."""
    for header, cell in row.items():
        if matches(header, column, sheet):
            return cell
    return None

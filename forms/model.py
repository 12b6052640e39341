"""The values forms/ hands out: a compiled form and the fields read from its XForm.

All frozen: a CompiledForm is what gets stored and served, so nothing may change it
after the md5 has been taken. Sequences are tuples for the same reason.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping


@dataclass(frozen=True)
class Choice:
    """One choice of a select: its stored value and its label per language code."""

    name: str
    label: Mapping[str, str] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Field:
    """One leaf of the primary instance (questions, metadata, calculates; not groups).

    `type` uses XLSForm names (text, integer, select_one, image, start, ...).
    `choices` is None when the choices are not in the form (select_one_from_file).
    `repeat` is the path of the nearest enclosing repeat, or None.
    `required` is True when the bind has a required expression other than false().
    """

    path: str
    name: str
    type: str
    choices: tuple[Choice, ...] | None = None
    list_name: str | None = None
    required: bool = False
    repeat: str | None = None

    def choice_values(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.choices or ())


@dataclass(frozen=True)
class CompiledForm:
    """An XLSForm turned into the exact XForm text that will be served to Collect.

    `xml_bytes` and `md5` are derived from `xml`, so they can never disagree with it.
    `languages` are codes taken from `label::中文 (zh)` style columns ('default' if none).
    `media` are bare file names the form references, sorted and deduplicated (forms.media).
    """

    xml: str
    form_id: str
    version: str | None
    title: str
    languages: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()
    media: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    public_key: str | None = None
    submission_url: str | None = None
    media_refs: tuple = ()          # forms.media.MediaRef: name, kind and use of each file
    itemsets: str | None = field(default=None, repr=False)  # external_choices as itemsets.csv
    # The warnings located and in both languages (forms.errors.detail dicts), in the order of `warnings`.
    warning_details: tuple = field(default=(), repr=False, compare=False)

    @property
    def xml_bytes(self) -> bytes:
        return self.xml.encode("utf-8")

    @property
    def md5(self) -> str:
        return hashlib.md5(self.xml_bytes).hexdigest()

    def fields_named(self, name: str) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.name == name)

    def field_at(self, path: str) -> Field | None:
        return next((f for f in self.fields if f.path == path), None)

"""How one form meets the contract: resolve_key per canonical key, the key and report types.

Kept apart from contract.py so that file reads as the contract itself (keys, values,
checks) and this one as the mechanics of matching a compiled form against it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from forms.model import CompiledForm, Field

_REASONS = {
    "missing": ("缺少字段 '{target}'（约定项 {key}）",
                "field '{target}' not found ({key}: {about})"),
    "ambiguous": ("名称 '{target}' 对应多个字段 {paths}，请在字段映射中写明路径",
                  "name '{target}' matches several fields {paths}; map the key to a path"),
    "wrong_type": ("字段 {path} 的题型是 {type}，{key} 需要 {types}",
                   "field {path} is a {type}; {key} needs one of {types}"),
    "missing_choices": ("字段 {path}（选项列表 {list_name}）缺少选项值 {values}",
                        "field {path} (choice list {list_name}) lacks the choice values {values}"),
    "choices_external": ("字段 {path} 的选项在外部文件中，无法核对选项值 {values}",
                         "field {path} takes its choices from a file; cannot verify the values {values}"),
}


@dataclass(frozen=True)
class Key:
    """A contract item: its canonical key (= default field name), accepted types, choices."""

    key: str
    types: tuple[str, ...]
    about: str
    values: tuple[str, ...] = ()            # choice values the form must offer, if a select


@dataclass(frozen=True)
class Resolved:
    """Where a canonical key lives in a form. `problem` is None when the field is usable."""

    key: str
    target: str                  # the field name or path that was looked for
    path: str | None = None
    problem: str | None = None   # missing | ambiguous | wrong_type | missing_choices | choices_external
    reason: str | None = None


@dataclass(frozen=True)
class CheckStatus:
    code: str
    supported: bool
    needs: tuple[str, ...]
    missing: tuple[str, ...] = ()   # keys that are absent or unusable
    reasons: tuple[str, ...] = ()   # one human-readable line per missing key, naming the field


@dataclass(frozen=True)
class ContractReport:
    keys: Mapping[str, Resolved]
    checks: tuple[CheckStatus, ...]

    def path(self, key: str) -> str | None:
        return self.keys[key].path if not self.keys[key].problem else None

    @property
    def supported(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.checks if c.supported)

    @property
    def unsupported(self) -> dict[str, tuple[str, ...]]:
        """{check code: reasons naming the missing fields}."""
        return {c.code: c.reasons for c in self.checks if not c.supported}

    def to_dict(self) -> dict:
        return {
            "fields": {k: r.path if not r.problem else None for k, r in self.keys.items()},
            "checks": {c.code: {"supported": c.supported, "missing": list(c.missing),
                                "reasons": list(c.reasons)} for c in self.checks},
        }


def resolve_key(compiled: CompiledForm, spec: Key, target: str, lang: str) -> Resolved:
    """Find the field for one key (by name, or by path if `target` starts with '/') and vet it."""
    if spec.types == ("repeat",):
        return _resolve_repeat(compiled, spec, target, lang)
    found = (compiled.field_at(target),) if target.startswith("/") else compiled.fields_named(target)
    found = tuple(f for f in found if f is not None)
    if not found:
        return _fail(spec, target, "missing", lang, about=spec.about)
    if len(found) > 1:
        return _fail(spec, target, "ambiguous", lang, paths=", ".join(f.path for f in found))
    field = found[0]
    problem = _vet(field, spec)
    if problem:
        return _fail(spec, target, problem, lang, path=field.path, type=field.type,
                     types="/".join(spec.types), list_name=field.list_name,
                     values=", ".join(_absent(field, spec)))
    return Resolved(spec.key, target, path=field.path)


def _vet(field: Field, spec: Key) -> str | None:
    if field.type not in spec.types:
        return "wrong_type"
    if not spec.values or not field.type.startswith("select"):
        return None
    if field.choices is None:
        return "choices_external"
    return "missing_choices" if _absent(field, spec) else None


def _absent(field: Field, spec: Key) -> tuple[str, ...]:
    offered = set(field.choice_values())
    return tuple(v for v in spec.values if v not in offered)


def _resolve_repeat(compiled: CompiledForm, spec: Key, target: str, lang: str) -> Resolved:
    repeats = sorted({f.repeat for f in compiled.fields if f.repeat})
    found = [r for r in repeats if r == target or r.rsplit("/", 1)[-1] == target]
    if len(found) == 1:
        return Resolved(spec.key, target, path=found[0])
    if found:
        return _fail(spec, target, "ambiguous", lang, paths=", ".join(found))
    return _fail(spec, target, "missing", lang, about=spec.about)


def _fail(spec: Key, target: str, problem: str, lang: str, path: str | None = None, **fmt) -> Resolved:
    zh, en = _REASONS[problem]
    text = (zh if lang == "zh" else en).format(key=spec.key, target=target, path=path, **fmt)
    return Resolved(spec.key, target, path=path, problem=problem, reason=text)

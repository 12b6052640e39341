"""The other interviews a submission is compared with (same enumerator and day, same household, same
answers), held in memory for a worker batch: read once for the whole batch, then kept current as each
event of the batch records its own interview's fact, so a later event sees an earlier one. Pure.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Optional


@dataclass(frozen=True)
class Fact:
    """An interview_fact row, with what the matching needs from its submission (root, current)."""

    submission_id: int
    evaluation_id: int
    instance_id: str
    enumerator_id: Optional[int] = None
    household_id: Optional[int] = None
    day: Optional[str] = None
    started_at: Optional[datetime] = None
    ended_at: Optional[datetime] = None
    latitude: Optional[float] = None
    longitude: Optional[float] = None
    vector_sha256: Optional[str] = None
    straight: Optional[bool] = None
    root_instance_id: str = ""
    current: bool = True

    def row(self):
        """The interview_fact columns."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in _NOT_COLUMNS}


_NOT_COLUMNS = ("root_instance_id", "current")


def keys(fact_or_wanted):
    """The index keys a fact is found by (also those a submission looks under)."""
    f = fact_or_wanted
    out = []
    if f.enumerator_id is not None and f.day:
        out.append(("day", f.evaluation_id, f.enumerator_id, f.day))
    if f.household_id is not None:
        out.append(("household", f.evaluation_id, f.household_id))
    if f.vector_sha256:
        out.append(("vector", f.evaluation_id, f.vector_sha256))
    return out


class Neighbours:
    """Facts of current interviews, indexed by day, household and answer vector."""

    def __init__(self, facts=()):
        self._facts, self._index = {}, {}
        for fact in facts:
            self.put(fact)

    def put(self, fact):
        """Record (or replace) the fact of `fact.submission_id`."""
        old = self._facts.pop(fact.submission_id, None)
        for key in keys(old) if old is not None else ():
            self._index[key].discard(fact.submission_id)
        if not fact.current:
            return
        self._facts[fact.submission_id] = fact
        for key in keys(fact):
            self._index.setdefault(key, set()).add(fact.submission_id)

    def around(self, wanted, root_instance_id):
        """Facts of other interviews (not `wanted`'s submission, nor another version of its interview)
        sharing one of `wanted`'s keys (a Fact of the submission being checked), by submission id."""
        ids = set()
        for key in keys(wanted):
            ids |= self._index.get(key, set())
        ids.discard(wanted.submission_id)
        return [self._facts[i] for i in sorted(ids) if self._facts[i].root_instance_id != root_instance_id]

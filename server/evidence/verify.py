"""Verifying a chain: walk its entries in order up to the head it started from, recompute each from the
stored row and the attachment files on disk, and name the first entry that does not match and why.

Entries appended while it runs are left for the next verification, so the answer is about one fixed head
even while submissions arrive.
"""
import hashlib
from dataclasses import asdict, dataclass
from typing import Optional

from server.evidence import canonical, entry_pages, sources
from server.evidence.sweep import head
from server.infra import media_store

PAGE = 5000  # entries read at a time


@dataclass
class Mismatch:
    seq: int
    kind: str
    source_id: int
    what: str        # "entry" (the chain itself), "row" (the covered row) or "file" (an attachment)
    detail: str


@dataclass
class Verification:
    head_seq: int
    head_hash: str
    checked: int
    mismatch: Optional[Mismatch] = None

    @property
    def ok(self):
        return self.mismatch is None

    def as_dict(self):
        return {"ok": self.ok, "head": {"seq": self.head_seq, "hash": self.head_hash},
                "checked": self.checked,
                "first_mismatch": asdict(self.mismatch) if self.mismatch else None}


def verify(evaluation_id, check_files=True):
    head_seq, head_hash = head(evaluation_id)
    prev, checked = canonical.GENESIS, 0
    for entries in entry_pages.pages(evaluation_id, head_seq, PAGE):
        found = _sources([e for e in entries if not e.confirmed])
        files = entry_pages.attachment_files(
            [e.source_id for e in entries if e.confirmed and e.has_files]) if check_files else {}
        for entry in entries:
            detail = (_check_entry(entry, evaluation_id, checked + 1, prev)
                      or _check_covered(entry, found, files, check_files))
            if detail:
                mismatch = Mismatch(entry.seq, entry.kind, entry.source_id, *detail)
                return Verification(head_seq, head_hash, checked, mismatch)
            prev, checked = entry.hash, entry.seq
    return Verification(head_seq, head_hash, checked)


def _sources(entries):
    ids = {}
    for entry in entries:
        ids.setdefault(entry.kind, []).append(entry.source_id)
    found = {}
    for kind, wanted in ids.items():
        found.update({(kind, i): source for i, source in sources.load(kind, wanted, check_xml=True).items()})
    return found


def _check_covered(entry, found, files, check_files):
    """(what, detail) of the first thing wrong with the row `entry` covers, or None. A row the database
    confirmed needs only its files hashed."""
    if entry.confirmed:
        return _check_files(entry, files.get(entry.source_id, [])) if check_files else None
    source = found.get((entry.kind, entry.source_id))
    return _check_row(entry, source) or (_check_files(entry, source.files) if check_files else None)


def _check_entry(entry, evaluation_id, seq, prev):
    if entry.seq != seq:
        return "entry", f"entries {seq} to {entry.seq - 1} are missing"
    if entry.prev_hash != prev:
        return "entry", "it does not link to the entry before it"
    if canonical.content_hash(entry.covers) != entry.content_sha256:
        return "entry", "its recorded content was changed"
    if canonical.entry_hash(prev, evaluation_id, entry.seq, entry.kind, entry.source_id, entry.at,
                            entry.actor, entry.content_sha256) != entry.hash:
        return "entry", "its hash does not match its fields"
    return None


def _check_row(entry, source):
    if source is None:
        return "row", f"the {entry.kind} row {entry.source_id} is gone"
    if not source.xml_intact:
        return "row", f"the stored XML of submission {entry.source_id} no longer matches its sha256"
    changed = sorted(key for key in set(entry.covers) | set(source.covers)
                     if entry.covers.get(key) != source.covers.get(key))
    if changed or source.actor != entry.actor or canonical.instant(source.at) != entry.at:
        fields = ", ".join(changed) or "actor or time"
        return "row", f"the {entry.kind} row {entry.source_id} differs from what was chained ({fields})"
    return None


def _check_files(entry, files):
    for name, path, recorded in files:
        actual = _file_sha256(path)
        if actual is None:
            return "file", f"attachment {name} of submission {entry.source_id} is missing"
        if actual != recorded:
            return "file", f"attachment {name} of submission {entry.source_id} was changed (sha256 {actual})"
    return None


def _file_sha256(relative_path):
    try:
        with open(media_store.resolve(relative_path), "rb") as handle:
            digest = hashlib.sha256()
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
            return digest.hexdigest()
    except (OSError, ValueError):
        return None

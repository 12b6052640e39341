"""Checking a household file (一户一档 ZIP) offline, with nothing but the file: every file against the
manifest's sha256, every interview's XML and attachments against the chain entry that covers them, and
every chain entry's own hashes recomputed. Standard library only, so an archivist can run it anywhere:

    fieldcheck chain check-file HOUSEHOLD.zip      (or: python -m server.evidence.household_check FILE)

Whether those entries belong to the evaluation's chain is then a matter of their hashes: compare the
manifest's `chain_head` with the daily digest kept outside fieldcheck, or run `fieldcheck chain verify`.
"""
import hashlib
import json
import sys
import zipfile

from server.evidence import canonical

MANIFEST = "manifest.json"


def check(path):
    """[problems] found in the household file at `path` (empty: it verifies)."""
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        problems = _files(archive, manifest)
        entries = {(e["kind"], e["source_id"]): e for e in manifest["chain_entries"]}
        problems += [p for e in manifest["chain_entries"] for p in _entry(manifest["evaluation_id"], e)]
        for interview in manifest["interviews"]:
            problems += _interview(archive, interview, entries)
    return problems


def _files(archive, manifest):
    listed = {f["path"]: f["sha256"] for f in manifest["files"]}
    present = set(archive.namelist()) - {MANIFEST}
    problems = [f"{name}: in the file but not in the manifest" for name in sorted(present - set(listed))]
    for name, sha256 in sorted(listed.items()):
        if name not in present:
            problems.append(f"{name}: listed in the manifest but missing")
        elif _sha256(archive, name) != sha256:
            problems.append(f"{name}: its sha256 is not the manifest's")
    return problems


def _entry(evaluation_id, entry):
    where = f"chain entry {entry['seq']} ({entry['kind']} {entry['source_id']})"
    if canonical.content_hash(entry["covers"]) != entry["content_sha256"]:
        return [f"{where}: what it covers does not hash to its content hash"]
    expected = canonical.entry_hash(entry["prev_hash"], evaluation_id, entry["seq"], entry["kind"],
                                    entry["source_id"], entry["at"], entry["actor"], entry["content_sha256"])
    return [] if expected == entry["hash"] else [f"{where}: its hash does not match its fields"]


def _interview(archive, interview, entries):
    entry = entries.get(("submission", interview["submission_id"]))
    name = interview["instance_id"]
    if entry is None:
        return [f"interview {name}: no chain entry covers it (not chained yet when the file was made)"]
    covers, folder, problems = entry["covers"], interview["folder"], []
    if _sha256(archive, f"{folder}/submission.xml") != covers["xml_sha256"]:
        problems.append(f"interview {name}: submission.xml is not the XML the chain recorded")
    for file_name, sha256, _size in covers["attachments"]:
        member = f"{folder}/media/{file_name}"
        if member not in archive.namelist():
            problems.append(f"interview {name}: attachment {file_name} is missing")
        elif _sha256(archive, member) != sha256:
            problems.append(f"interview {name}: attachment {file_name} is not the file the chain recorded")
    for decision in interview["decisions"]:
        covered = entries.get(("review", decision["id"]))
        if covered is None or covered["covers"]["reason"] != decision["reason"] \
                or covered["covers"]["decision"] != decision["decision"]:
            problems.append(f"interview {name}: review decision {decision['id']} is not the one the chain "
                            "recorded")
    return problems


def _sha256(archive, name):
    digest = hashlib.sha256()
    with archive.open(name) as stream:
        for block in iter(lambda: stream.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


if __name__ == "__main__":
    found = check(sys.argv[1])
    print("\n".join(found) or "household file verified")
    sys.exit(1 if found else 0)

"""The chain's canonical JSON is the bytes of its written definition (json.dumps, sorted keys, compact,
UTF-8), whichever encoder writes them: an archivist re-running the definition must get the same hashes."""
import hashlib
import json

from hypothesis import given, strategies as st

from server.evidence import canonical

TEXT = st.text(st.characters(blacklist_categories=("Cs",)))  # a database cannot hold a lone surrogate
VALUES = st.recursive(st.none() | st.booleans() | st.integers() | TEXT,
                      lambda inner: st.lists(inner) | st.dictionaries(TEXT, inner), max_leaves=12)


def _definition(covers):
    return json.dumps(covers, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


@given(st.dictionaries(TEXT, VALUES))
def test_canonical_json_is_the_written_definition(covers):
    assert canonical.canonical_json(covers) == _definition(covers)
    assert canonical.content_hash(covers) == hashlib.sha256(_definition(covers)).hexdigest()


def test_what_orjson_refuses_is_still_written_by_the_definition():
    covers = {"size": 2 ** 70, "name": "照片\n\"1\".jpg", "control": "\x01\x1f"}
    assert canonical.canonical_json(covers) == _definition(covers)

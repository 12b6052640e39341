"""Attachment names: nothing escapes the media store; Chinese names survive."""
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from server.submissions.filenames import MAX_NAME_BYTES, safe_filename, safe_join

NAMES = st.one_of(
    st.text(max_size=400),
    st.builds(lambda parts: "/".join(parts), st.lists(st.sampled_from(
        ["..", ".", "", "etc", "passwd", "\\..\\", "照片.jpg", "\x00", "C:", "~"]), max_size=8)),
    st.binary(max_size=300),
)


@pytest.mark.parametrize("name,expected", [
    ("1738311111111.jpg", "1738311111111.jpg"),
    ("照片 一.jpg", "照片 一.jpg"),
    ("../../etc/passwd", "passwd"),
    ("..\\..\\windows\\win.ini", "win.ini"),
    ("/abs/path/p.png", "p.png"),
    ("C:\\Users\\x\\a.jpg", "a.jpg"),
    ("a\x00b\x1f.jpg", "ab.jpg"),
    ("\u202egpj.exe", "gpj.exe"),
    ("..", "attachment"), (".", "attachment"), ("", "attachment"), ("dir/", "attachment"),
    (".hidden", "hidden"),
    ("name. . ", "name"),
    ("a:b|c?.jpg", "a_b_c_.jpg"),
    ("CON", "_CON"), ("nul.txt", "_nul.txt"),
    ("e\u0301.jpg", "\u00e9.jpg"),  # NFC
    (b"\xe7\x85\xa7.jpg", "照.jpg"),
])
def test_examples(name, expected):
    assert safe_filename(name) == expected


def test_long_names_keep_extension_and_whole_characters():
    result = safe_filename("户" * 300 + ".jpeg")
    assert result.endswith(".jpeg") and len(result.encode("utf-8")) <= MAX_NAME_BYTES
    assert set(result[:-5]) == {"户"}
    no_ext = safe_filename("x" * 1000)
    assert len(no_ext.encode()) <= MAX_NAME_BYTES
    odd_ext = safe_filename("a" * 300 + "." + "b" * 40)  # a 40-char "extension" is not kept
    assert len(odd_ext.encode()) <= MAX_NAME_BYTES


@settings(database=None, max_examples=400, deadline=None)
@given(NAMES)
def test_property_never_escapes(tmp_path_factory, name):
    result = safe_filename(name)
    assert result not in ("", ".", "..")
    assert "/" not in result and "\\" not in result and "\x00" not in result
    assert os.sep not in result and (os.altsep is None or os.altsep not in result)
    assert len(result.encode("utf-8")) <= MAX_NAME_BYTES
    assert safe_filename(result) == result  # idempotent: stored names stay stable
    base = str(tmp_path_factory.getbasetemp())
    joined = safe_join(base, name)
    assert os.path.dirname(joined) == os.path.realpath(base)


def test_safe_join_refuses_a_symlink_escape(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    store = tmp_path / "store"
    store.mkdir()
    (store / "link.jpg").symlink_to(outside / "x.jpg")
    with pytest.raises(ValueError):
        safe_join(store, "link.jpg")
    assert safe_join(store, "../../x.jpg") == os.path.join(os.path.realpath(store), "x.jpg")

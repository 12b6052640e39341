"""The export layout and rows without a database: nested repeats, traces, names within Excel's, SPSS's and
Stata's limits, and an XLSX sheet continued past Excel's row limit (read back with openpyxl)."""
from datetime import datetime, timezone

import openpyxl

from server.exports import layout, writers
from server.exports.flatten import Flattener, headers
from server.exports.records import Record
from server.exports.stats_out import variable_names

FIELDS = [
    {"path": "/data/g/name", "type": "text"},
    {"path": "/data/route", "type": "geotrace"},
    {"path": "/data/hh/member/name", "type": "text", "repeat": "/data/hh/member"},
    {"path": "/data/hh/member/child/age", "type": "integer", "repeat": "/data/hh/member/child"},
    {"path": "/data/note1", "type": "note"},
]


def _record(instance_id="uuid:1"):
    return Record(1, instance_id, datetime(2025, 5, 1, 1, 2, 3, 456000, tzinfo=timezone.utc), "1", None,
                  False, "clean", None, None, None, None, None, None)


def test_nested_repeats_link_to_their_parent_rows_and_notes_have_no_column():
    tables = layout.build([{"fields": FIELDS, "labels": {}}], "f")
    assert [t.name for t in tables] == ["f", "f-member", "f-child"]
    assert [c.name for c in tables[0].columns] == ["g-name", "route"]
    data = {"g/name": "x", "route": [{"lat": 1.5, "lon": 2.5}, {"lat": 3.0, "lon": 4.0, "alt": 5.0}],
            "hh/member": [{"name": "a", "child": [{"age": 3}, {"age": 5}]}, {"name": "b"}]}
    rows = Flattener(tables).rows(_record(), data)
    main = dict(zip(headers(tables[0]), rows["f"][0]))
    assert main["route"] == "1.5 2.5;3.0 4.0 5.0" and main["SubmissionDate"] == "2025-05-01T01:02:03.456Z"
    assert rows["f-member"] == [["a", "uuid:1", "uuid:1/hh/member[1]"],
                                ["b", "uuid:1", "uuid:1/hh/member[2]"]]
    assert rows["f-child"] == [[3, "uuid:1/hh/member[1]", "uuid:1/hh/member[1]/child[1]"],
                               [5, "uuid:1/hh/member[1]", "uuid:1/hh/member[1]/child[2]"]]


def test_sheet_names_stay_within_excels_rules():
    taken = set()
    names = []
    for name in ["a" * 40, "a" * 40, "x[1]:y*z?/w\\", "History"]:
        names.append(writers.sheet_name(name, 1, taken))
        taken.add(names[-1].lower())
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == 4
    assert not any(c in "".join(names) for c in "[]:*?/\\")
    assert writers.sheet_name("b" * 40, 2, set()).endswith(" (2)")


def test_variable_names_are_valid_and_unique():
    names = variable_names(["place-village", "place/village", "1st", "x" * 80, "x" * 80 + "y"], 32)
    assert names[0] == "place_village" and names[1] != names[0] and names[2] == "v1st"
    assert all(len(n) <= 32 and n[0].isalpha() for n in names) and len(set(names)) == 5


def test_xlsx_continues_a_table_on_a_further_sheet(tmp_path, monkeypatch):
    monkeypatch.setattr(writers, "XLSX_MAX_ROWS", 5)  # two header rows + 3 data rows per sheet
    tables = layout.build([{"fields": FIELDS[:1], "labels": {}}], "f")
    path = str(tmp_path / "f.xlsx")
    book = writers.XlsxTables(path, tables)
    book.add("f", [[f"r{i}", i] for i in range(7)])
    book.close()
    read = openpyxl.load_workbook(path, read_only=True)
    assert read.sheetnames == ["f", "f (2)", "f (3)"]
    cells = [r[0] for name in read.sheetnames for r in list(read[name].iter_rows(values_only=True))[2:]]
    assert cells == [f"r{i}" for i in range(7)]


def test_an_xlsx_larger_than_4_gb_unzipped_may_be_written(tmp_path):
    """A million interviews make one sheet's XML pass 4 GB: without ZIP64 XlsxWriter refuses to close the
    file (FileSizeError; found by bench_export). A small workbook is still a plain zip that openpyxl reads."""
    tables = layout.build([{"fields": FIELDS[:1], "labels": {}}], "f")
    path = str(tmp_path / "f.xlsx")
    book = writers.XlsxTables(path, tables)
    assert book.book.allow_zip64
    book.add("f", [["r0", 0]])
    book.close()
    assert openpyxl.load_workbook(path, read_only=True).sheetnames == ["f"]

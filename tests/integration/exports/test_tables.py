"""CSV, XLSX and ZIP exports, opened with independent readers and compared cell by cell with what the
phones sent: three form versions, a group, a repeat, a select-multiple, a GPS point, Chinese labels."""
import csv
import io
import zipfile

import openpyxl

from server.infra.extensions import db
from server.models import Submission
from tests.integration.exports.conftest import PHOTO, as_file, export

V1 = {"place": {"village_name": "东营子村"}, "hh_size": 4, "helps": "cash job", "gps": "40.1 116.3 50.5 4.0",
      "old_q": "旧答案, with a comma", "photo": "p1.jpg",
      "members": [{"member_name": "张三", "age": 40}, {"member_name": "李四", "age": 12}]}
V2 = {"place": {"village_name": "西营子村"}, "hh_size": 2, "income": 5600.5, "helps": "none",
      "gps": "41 117 0 3", "old_q": "", "photo": "", "members": [{"member_name": "王五", "age": 70}]}
V3 = {"place": {"village_name": "南村"}, "hh_size": 1, "income": 0, "helps": "", "gps": "", "photo": "",
      "members": []}
CHOICES = ("cash", "job", "none")


def _send_three(world, client):
    ids = [world.send(client, "1", V1, {"p1.jpg": PHOTO}), world.send(client, "2", V2),
           world.send(client, "3", V3)]
    return ids


def _expected_main(world):
    """The main table as it should read, from what was sent (text as in a CSV)."""
    rows = {}
    for instance_id, version, fields, files in world.sent:
        lat = lon = alt = acc = ""
        if fields["gps"]:
            lat, lon, alt, acc = (repr(float(p)) for p in fields["gps"].split())
        chosen = fields["helps"].split()
        rows[instance_id] = {
            "place-village_name": fields["place"]["village_name"], "hh_size": str(fields["hh_size"]),
            "income": "" if "income" not in fields else repr(float(fields["income"])),
            "helps": fields["helps"], **{f"helps/{c}": ("1" if c in chosen else "0") if chosen else ""
                                         for c in CHOICES},
            "gps-Latitude": lat, "gps-Longitude": lon, "gps-Altitude": alt, "gps-Accuracy": acc,
            "photo": fields["photo"], "old_q": fields.get("old_q", ""), "meta-instanceID": instance_id,
            "KEY": instance_id, "FormVersion": version, "AttachmentsPresent": str(len(files)),
        }
    return rows


def _expected_members(world):
    rows = []
    for instance_id, _, fields, _ in world.sent:
        for index, member in enumerate(fields["members"], start=1):
            rows.append({"member_name": member["member_name"], "age": str(member["age"]),
                         "PARENT_KEY": instance_id, "KEY": f"{instance_id}/members[{index}]"})
    return rows


def _read_csv(data):
    text = data.decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _statuses():
    return {s.instance_id: s.review_status for s in db.session.query(Submission)}


def test_csv_has_a_main_table_and_a_linked_repeat_table(world, client, supervisor):
    _send_three(world, client)
    job, data = export(client, supervisor, {"form": "hh", "format": "csv"})
    assert job["result"]["interviews"] == 3 and job["result"]["versions"] == ["1", "2", "3"]
    assert job["progress"] == 100 and job["kind"] == "export" and "file" not in job["result"]
    assert sum(job["result"]["statuses"].values()) == 3
    archive = zipfile.ZipFile(as_file(data))
    assert sorted(archive.namelist()) == ["hh-members.csv", "hh.csv"]
    main = _read_csv(archive.read("hh.csv"))
    assert not archive.read("hh.csv").startswith(b"\xef\xbb\xbf")
    expected = _expected_main(world)
    statuses = _statuses()
    assert len(main) == 3
    for row in main:
        want = expected[row["KEY"]]
        for column, value in want.items():
            assert row[column] == value, (column, row[column], value)
        assert row["ReviewStatus"] == (statuses[row["KEY"]] or "")
        assert row["SubmissionDate"].endswith("Z") and row["Encrypted"] == "no"
    header = next(csv.reader(io.StringIO(archive.read("hh.csv").decode())))
    assert header[0] == "SubmissionDate"
    assert header.index("helps") + 1 == header.index("helps/cash")
    own = {"Enumerator", "Household", "Findings", "Reconciliation", "Classification", "ReviewedAt"}
    assert own <= set(header)
    members = _read_csv(archive.read("hh-members.csv"))
    assert [dict((k, r[k]) for k in ("member_name", "age", "PARENT_KEY", "KEY")) for r in members] == \
        _expected_members(world)


def test_csv_bom_and_a_form_without_repeats_is_one_file(world, client, supervisor):
    world.send(client, "1", {"q1": "问题的答案"}, form_id="plain")
    job, data = export(client, supervisor, {"form": "plain", "format": "csv", "bom": True})
    assert job["result"]["interviews"] == 1
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8")[1:])))
    assert [r["q1"] for r in rows] == ["问题的答案"]


def test_empty_form_is_a_valid_file_with_headers(world, client, supervisor):
    _, data = export(client, supervisor, {"form": "hh", "format": "xlsx"})
    book = openpyxl.load_workbook(as_file(data), read_only=True)
    assert book.sheetnames == ["hh", "hh-members"]
    rows = list(book["hh"].iter_rows(values_only=True))
    assert len(rows) == 2 and rows[0][0] == "SubmissionDate" and rows[1][0] == "提交时间"
    _, data = export(client, supervisor, {"form": "empty", "format": "csv"})
    assert zipfile.ZipFile(as_file(data)).read("empty-members.csv").decode().startswith("member_name,age,")


def test_xlsx_keeps_numbers_and_labels_in_the_chosen_language(world, client, supervisor):
    _send_three(world, client)
    _, data = export(client, supervisor, {"form": "hh", "format": "xlsx"})
    book = openpyxl.load_workbook(as_file(data), read_only=True)
    rows = list(book["hh"].iter_rows(values_only=True))
    header, labels = rows[0], rows[1]
    assert labels[header.index("hh_size")] == "家庭人口"
    assert labels[header.index("helps/job")] == "帮扶措施: 就业"
    assert labels[header.index("old_q")] == "旧问题"
    by_key = {r[header.index("KEY")]: dict(zip(header, r)) for r in rows[2:]}
    expected = _expected_main(world)
    assert set(by_key) == set(expected)
    for key, want in expected.items():
        got = by_key[key]
        assert got["hh_size"] == int(want["hh_size"]) and isinstance(got["hh_size"], int)
        assert got["place-village_name"] == want["place-village_name"]
        assert (got["gps-Latitude"] or "") == (float(want["gps-Latitude"]) if want["gps-Latitude"] else "")
        for choice in CHOICES:
            cell = got[f"helps/{choice}"]
            assert ("" if cell is None else str(cell)) == want[f"helps/{choice}"]
    members = list(book["hh-members"].iter_rows(values_only=True))
    assert members[1][:2] == ("姓名", "年龄")
    assert [(r[0], r[1], r[2], r[3]) for r in members[2:]] == [
        (m["member_name"], int(m["age"]), m["PARENT_KEY"], m["KEY"]) for m in _expected_members(world)]
    _, english = export(client, supervisor, {"form": "hh", "format": "xlsx", "labels": "en"})
    sheet = openpyxl.load_workbook(as_file(english), read_only=True)["hh"]
    labels = list(sheet.iter_rows(values_only=True))[1]
    assert labels[header.index("hh_size")] == "Household size" and labels[0] == "Submission date"


def test_zip_holds_the_tables_and_every_attachment(world, client, supervisor):
    ids = _send_three(world, client)
    _, data = export(client, supervisor, {"form": "hh", "format": "zip"})
    archive = zipfile.ZipFile(as_file(data))
    folder = ids[0].replace("uuid:", "")
    assert archive.read(f"media/{folder}/p1.jpg") == PHOTO
    assert {"hh.csv", "hh-members.csv"} <= set(archive.namelist())
    assert len([n for n in archive.namelist() if n.startswith("media/")]) == 1
    main = _read_csv(archive.read("hh.csv"))
    assert {r["KEY"]: r["photo"] for r in main}[ids[0]] == "p1.jpg"
    _, data = export(client, supervisor, {"form": "hh", "format": "zip", "tables": "xlsx"})
    archive = zipfile.ZipFile(as_file(data))
    book = openpyxl.load_workbook(io.BytesIO(archive.read("hh.xlsx")), read_only=True)
    assert len(list(book["hh"].iter_rows())) == 5

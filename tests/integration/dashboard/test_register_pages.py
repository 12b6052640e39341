"""The register in the dashboard: search it, one household (members with masked ID numbers, its
interviews), import a file all or nothing with its errors row by row, the template, files that are not
what they claim, and a village's card sheet."""
import io
import json
import re
import zipfile

from openpyxl import load_workbook

from server.infra.extensions import db
from server.households.prepare import id_numbers
from server.models import AuditEntry, Household
from testkit.dashboard_world import build_world
from testkit.household_factories import make_records, village_code
from testkit.register_files import PLAIN, PNG, csv_bytes, register_rows, xlsx_bytes, zip_bomb_xlsx
from tests.integration.dashboard.helpers import csrf, sign_in

E = "/dashboard/county1"


def _count():
    db.session.expire_all()
    return db.session.query(Household).count()


def _upload(client, name, data, lang=None):
    page = client.get(E + "/register/import")
    once = re.search(r'name="once" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    headers = {"Accept-Language": lang} if lang else {}
    return client.post(E + "/register/import", headers=headers, content_type="multipart/form-data",
                       data={"csrf_token": csrf(page), "once": once, "file": (io.BytesIO(data), name)})


def test_search_by_code_head_and_village(app, client):
    world = build_world(app)
    sign_in(client, "view1")
    first = db.session.query(Household).filter_by(archive_id=world["households"][0]).one()
    by_name = client.get(E + "/households", query_string={"q": first.head_name[1:]}).get_data(as_text=True)
    assert first.archive_id in by_name
    by_code = client.get(E + "/households", query_string={"q": first.archive_id[:-1]}).get_data(as_text=True)
    assert all(a in by_code for a in world["households"])  # the code's start matches all three
    by_village = client.get(E + "/households", query_string={"village": village_code(1)})
    by_village = by_village.get_data(as_text=True)
    assert all(a in by_village for a in world["households"])
    nothing = client.get(E + "/households", query_string={"q": "无此人"}).get_data(as_text=True)
    assert first.archive_id not in nothing and "没有符合条件的农户" in nothing
    assert client.get(E + "/households", query_string={"village": "x"}).status_code == 404


def test_one_household_masks_id_numbers_and_lists_its_interviews(app, client):
    world = build_world(app)
    sign_in(client, "view1")
    household = db.session.query(Household).filter_by(archive_id=world["households"][1]).one()
    page = client.get(f"{E}/households/{household.archive_id}").get_data(as_text=True)
    members = household.record["members"]
    assert all(m["name"] in page for m in members)
    assert members[0]["id_number_masked"] in page and "*" in members[0]["id_number_masked"]
    clear = [n for n in id_numbers(household) if n]
    assert len(clear) == len(members) and not any(n in page for n in clear)  # none in full, anywhere
    assert world["flagged"] in page  # the interview of this household, linked
    assert "已脱贫" in page or "未脱贫" in page or "返贫" in page
    assert "导入登记文件" not in page and "打印本村明白卡" not in page  # a viewer may not import or print
    assert client.get(f"{E}/households/nosuch").status_code == 404


def test_import_with_a_bad_row_imports_nothing_then_the_corrected_file_imports(app, client):
    build_world(app)
    sign_in(client, "sup1")
    records = make_records(4, village=2)
    rows = register_rows(records)
    rows[3][PLAIN.index("village_code")] = "15078210"  # the third household (file line 4)
    before = _count()
    assert f'value="{village_code(2)}"' not in client.get(E + "/households").get_data(as_text=True)
    answer = _upload(client, "register.csv", csv_bytes(rows))
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and _count() == before
    assert 'data-line="4"' in page and records[2]["archive_id"] in page and "village_code" in page
    assert "必须是 12 位数字" in page and "未导入任何数据" in page
    rows[3][PLAIN.index("village_code")] = records[2]["village_code"]
    answer = _upload(client, "register.csv", csv_bytes(rows))
    assert answer.status_code == 302 and _count() == before + 4
    listed = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "新增 4 户" in listed and f'value="{village_code(2)}"' in listed  # the villages follow the register
    audit = db.session.query(AuditEntry).filter_by(action="households.upsert").order_by(AuditEntry.id).all()
    assert audit[-1].actor == "user:sup1" and audit[-1].details["created"] == 4


def test_import_errors_follow_the_language_and_name_member_columns(app, client):
    build_world(app)
    sign_in(client, "sup1")
    records = make_records(2, village=3)
    records[1]["members"][1]["id_number"] = records[1]["members"][1]["id_number"][:-1] + "0"
    rows = register_rows(records)
    answer = _upload(client, "register.xlsx", xlsx_bytes(rows), lang="en")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert 'data-line="3"' in page and "m2_id_number" in page
    assert "check digit" in page and "Nothing was imported" in page


def test_the_template_has_the_schema_columns_and_their_allowed_values(app, client):
    build_world(app)
    sign_in(client, "sup1")
    answer = client.get(E + "/register/template/xlsx")
    assert answer.status_code == 200 and "register-template.xlsx" in answer.headers["Content-Disposition"]
    book = load_workbook(io.BytesIO(answer.data))
    header = [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]
    assert {"archive_id", "village_code", "head_name", "status", "m1_id_number", "m2_relation"} <= set(header)
    notes = {row[0]: row for row in book.worksheets[1].iter_rows(min_row=2, values_only=True)}
    assert "exited (已脱贫)" in notes["status"][2] and notes["archive_id"][1].startswith("required")
    page = client.get(E + "/register/import").get_data(as_text=True)
    assert "lack_skills" in page and "缺技术" in page  # the columns' allowed values, on the page too
    csv_header = client.get(E + "/register/template/csv").data.decode("utf-8-sig").splitlines()[0]
    assert csv_header.split(",") == header


def test_files_that_are_not_what_they_claim_get_a_clear_answer_and_change_nothing(app, client):
    build_world(app)
    sign_in(client, "sup1")
    rows = register_rows(make_records(2, village=4))
    before = _count()
    gbk = _upload(client, "register.csv", csv_bytes(rows, "gbk"))
    assert gbk.status_code == 400 and "GBK" in gbk.get_data(as_text=True)
    assert "CSV UTF-8" in gbk.get_data(as_text=True) and 'id="file-error"' in gbk.get_data(as_text=True)
    bomb = _upload(client, "register.xlsx", zip_bomb_xlsx())
    assert bomb.status_code == 400 and "压缩结构" in bomb.get_data(as_text=True)
    picture = _upload(client, "register.xlsx", PNG)
    assert picture.status_code == 400 and "不是 .xlsx 电子表格" in picture.get_data(as_text=True)
    renamed = _upload(client, "register.csv", xlsx_bytes(rows))
    assert renamed.status_code == 400 and "电子表格" in renamed.get_data(as_text=True)
    wrong_type = _upload(client, "register.pdf", b"%PDF-1.4")
    assert wrong_type.status_code == 400 and ".csv、.xlsx 或 .jsonl" in wrong_type.get_data(as_text=True)
    assert _count() == before


def test_a_200_mb_register_is_refused_before_it_is_read(app, client, tmp_path):
    build_world(app)
    sign_in(client, "sup1")
    page = client.get(E + "/register/import")
    body = _sparse_upload(tmp_path / "body", csrf(page), 200 * 1024 * 1024)
    answer = client.post(E + "/register/import", input_stream=body,
                         content_type="multipart/form-data; boundary=xyz")
    text = answer.get_data(as_text=True)
    assert answer.status_code == 413 and "文件太大" in text and "100 MB" in text
    good = csv_bytes(register_rows(make_records(1, village=5)))
    assert _upload(client, "register.csv", good).status_code == 302


def _sparse_upload(path, token, size):
    """A multipart body with a `size`-byte register.csv, written sparse (no disk used for the bytes)."""
    head = (f'--xyz\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n--xyz\r\n'
            'Content-Disposition: form-data; name="file"; filename="register.csv"\r\n'
            'Content-Type: text/csv\r\n\r\n').encode()
    stream = open(path, "w+b")
    stream.write(head)
    stream.seek(len(head) + size)
    stream.write(b"\r\n--xyz--\r\n")
    stream.seek(0)
    return stream


def test_a_village_card_sheet_prints_for_the_register_role_only(app, client):
    world = build_world(app)
    sign_in(client, "sup1")
    households = client.get(E + "/households").get_data(as_text=True)
    link = f"{E}/villages/{village_code(1)}/cards"
    assert link in households
    sheet = client.get(link)
    assert sheet.status_code == 200 and sheet.get_data(as_text=True).count('class="card"') == 3
    assert "style-src 'unsafe-inline'" in sheet.headers["Content-Security-Policy"]
    assert "script-src" not in sheet.headers["Content-Security-Policy"]  # default-src 'none': no script
    assert all(a in sheet.get_data(as_text=True) for a in world["households"])
    assert client.get(f"{E}/villages/{village_code(9)}/cards").status_code == 404
    client.post("/logout", data={"csrf_token": csrf(client.get("/"))})
    sign_in(client, "view1")
    assert client.get(link).status_code == 403


def test_a_supervisor_downloads_a_household_file_a_viewer_cannot(app, client):
    """一户一档 from the household's page: the same ZIP the archive system gets, its handing out audited."""
    world = build_world(app)
    archive_id = world["households"][1]
    sign_in(client, "sup1")
    page = client.get(f"{E}/households/{archive_id}").get_data(as_text=True)
    link = re.search(r'id="household-file" href="([^"]+)"', page).group(1)
    answer = client.get(link)
    assert answer.status_code == 200 and answer.mimetype == "application/zip"
    assert f"county1-{archive_id}.zip" in answer.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(answer.data)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        names = set(archive.namelist())
    assert manifest["household"]["archive_id"] == archive_id and "summary.html" in names
    assert [i["instance_id"] for i in manifest["interviews"]] == [world["flagged"]]
    assert any(n.startswith("interviews/01/") and n.endswith(".jpg") for n in names)  # its photo
    audit = db.session.query(AuditEntry).filter_by(action="household.file").one()
    assert (audit.actor, audit.target) == ("user:sup1", f"household:{archive_id}")
    viewer = app.test_client()
    sign_in(viewer, "view1")
    assert 'id="household-file"' not in viewer.get(f"{E}/households/{archive_id}").get_data(as_text=True)
    assert viewer.get(link).status_code == 403
    other = app.test_client()
    sign_in(other, "other1")
    assert other.get(link).status_code == 404

"""Register files as an archive office sends them (CSV, XLSX), and files that only claim to be one: a CSV
saved in GBK, a zip bomb named .xlsx, a picture named .xlsx. For the register tests and the browser tests."""
import csv
import io
import json
import zipfile

from openpyxl import Workbook

MEMBER_FIELDS = ("name", "sex", "relation", "birth_date", "id_number", "health", "labour", "school")
PLAIN = ("archive_id", "province", "province_code", "county", "county_code", "township", "township_code",
         "village", "village_code", "group", "head_name", "phone", "registration_year", "poverty_attribute",
         "main_cause", "status", "exit_year")


def register_rows(records):
    """[header, row, ...] in the layout `households import` reads (server/households/tabular.py)."""
    most = max(len(r["members"]) for r in records)
    header = [*PLAIN, "other_causes", "income_2019", "food", "housing", "latitude", "longitude", "helpers",
              *(f"m{i}_{f}" for i in range(1, most + 1) for f in MEMBER_FIELDS)]
    rows = [header]
    for r in records:
        row = ["" if r.get(k) is None else r[k] for k in PLAIN]
        row += ["|".join(r["other_causes"]), 5100.0, 1, 0, r["location"]["latitude"],
                r["location"]["longitude"], json.dumps(r["helpers"], ensure_ascii=False)]
        for m in r["members"] + [{}] * (most - len(r["members"])):
            row += [m.get(f, "") for f in MEMBER_FIELDS]
        rows.append(row)
    return rows


def csv_bytes(rows, encoding="utf-8"):
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def zip_bomb_xlsx(inflated_mb=40):
    """A zip with the parts of a workbook whose sheet inflates about a thousand times."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        archive.writestr("xl/worksheets/sheet1.xml", b"<row/>" * (inflated_mb * 1024 * 1024 // 6))
    return out.getvalue()


PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS"
       b"\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81\x84\x00\x00\x00\x00IEND"
       b"\xaeB`\x82")

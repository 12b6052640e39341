"""`fieldcheck households template` writes the file `households import` reads: the schema's columns, with
the allowed values of each coded column. Filled in, it imports."""
import csv

from openpyxl import load_workbook

from server.households import codes
from server.infra.extensions import db
from server.models import Household
from testkit.household_factories import make_record


def _cells(record, header):
    """One record as a file row laid out under `header` (two members, the years of the template)."""
    cells = {k: v for k, v in record.items() if isinstance(v, (str, int, float)) and v is not None}
    for n, member in enumerate(record["members"][:2], 1):
        cells.update({f"m{n}_{k}": v for k, v in member.items() if v is not None})
    cells.update({k: int(v) for k, v in record["indicators"].items()})
    cells.update(record["location"])
    cells["other_causes"] = "|".join(record["other_causes"])
    cells["income_2019"] = 5100.0
    return [cells.get(name, "") for name in header]


def test_the_xlsx_template_has_the_import_columns_and_their_allowed_values(runner, evaluation, tmp_path):
    path = tmp_path / "登记表.xlsx"
    result = runner.invoke(args=["households", "template", str(path)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == str(path)
    book = load_workbook(path)
    register, notes = book.worksheets
    header = [c.value for c in register[1]]
    assert register.max_row == 1  # empty: a header and nothing else
    for column in ("archive_id", "village_code", "head_name", "m1_name", "m1_relation", "m2_id_number",
                   "status", "exit_year", "income_2019", "food", "latitude", "helpers"):
        assert column in header
    allowed = {row[0].value: row[2].value for row in notes.iter_rows(min_row=2)}
    assert all(f"{value} ({label})" in allowed["status"] for value, label in codes.STATUSES.items())
    assert all(value in allowed["m1_relation"] for value in codes.RELATIONS)
    lists = {str(v.sqref): v.formula1 for v in register.data_validations.dataValidation}
    status_letter = register.cell(row=1, column=header.index("status") + 1).column_letter
    assert lists[f"{status_letter}2:{status_letter}100000"] == '"' + ",".join(codes.STATUSES) + '"'

    # Filled in with one household, the template imports as it is.
    record = make_record(1, members=2)
    register.append(_cells(record, header))
    book.save(path)
    imported = runner.invoke(args=["households", "import", "county1", str(path)])
    assert imported.exit_code == 0, imported.output
    stored = db.session.query(Household).one()
    assert stored.archive_id == record["archive_id"] and stored.record["members"][1]["name"] == \
        record["members"][1]["name"]


def test_the_csv_template_comes_with_its_notes_and_imports_when_filled(runner, evaluation, tmp_path):
    path = tmp_path / "register.csv"
    result = runner.invoke(args=["households", "template", str(path)])
    assert result.exit_code == 0, result.output
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel on a Chinese Windows reads it as UTF-8
    header = next(csv.reader(raw.decode("utf-8-sig").splitlines()))
    notes = list(csv.reader((tmp_path / "register-notes.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert [row[0] for row in notes[1:]] == header
    with path.open("a", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerow(_cells(make_record(2, members=2), header))
    imported = runner.invoke(args=["households", "import", "county1", str(path)])
    assert imported.exit_code == 0, imported.output
    assert db.session.query(Household).count() == 1


def test_a_template_must_be_xlsx_or_csv(runner, evaluation, tmp_path):
    result = runner.invoke(args=["households", "template", str(tmp_path / "register.txt")])
    assert result.exit_code != 0 and ".xlsx or .csv" in result.output

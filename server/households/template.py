"""An empty register file to fill in: the columns of the current record schema, and what each may hold.

The columns are read from the schema itself (server/households/schema.py) in the layout tabular.py
imports, so a field added to the record appears here without a second list to keep. Coded columns list
their allowed values with the Chinese label of each (server/households/codes.py).
"""
import csv
import io

from marshmallow import fields, validate
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from server.households import codes
from server.households.schema import HouseholdSchema

EXAMPLE_MEMBERS = 2                  # m1_..., m2_...: add m3_... columns for larger households
EXAMPLE_INCOME_YEARS = (2019, 2020)  # income_<year>: one column per year the archive holds
_JSON_LISTS = ("helpers", "measures")
_TEXT_COLUMNS = ("archive_id", "_code", "id_number", "phone")
_LABELS = [table for table in vars(codes).values() if isinstance(table, dict)]


def columns():
    """[(column, required, allowed values or None, what it holds)] in the order a file lays them out."""
    out = []
    for name, field in HouseholdSchema().fields.items():
        out.extend(_columns_of(name, field))
    return out


def _columns_of(name, field):
    if name == "members":
        member = field.inner.schema.fields
        return [(f"m{n}_{key}", field.required and n == 1 and sub.required, _allowed(sub), _about(sub))
                for n in range(1, EXAMPLE_MEMBERS + 1) for key, sub in member.items()]
    if name == "income":
        return [(f"income_{year}", False, None, f"per-capita net income of {year} (yuan)")
                for year in EXAMPLE_INCOME_YEARS]
    if name in _JSON_LISTS:
        return [(name, False, None, "a JSON array, as in the API")]
    if isinstance(field, fields.Nested):
        return [(key, False, _allowed(sub) or _boolean(name), _about(sub))
                for key, sub in field.schema.fields.items()]
    if isinstance(field, fields.List):
        allowed = _allowed(field.inner)
        return [(name, field.required, allowed, "values separated by |")]
    return [(name, field.required, _allowed(field), _about(field))]


def _allowed(field):
    for check in _validators(field):
        if isinstance(check, validate.OneOf):
            return [(value, _label(value)) for value in check.choices]
    return None


def _validators(field):
    checks = field.validate if isinstance(field.validate, (list, tuple)) else [field.validate]
    return [c for c in checks if c is not None] + list(getattr(field, "validators", ()))


def _boolean(name):
    return [("1", "是 yes"), ("0", "否 no")] if name == "indicators" else None


def _label(value):
    return next((table[value] for table in _LABELS if value in table), "")


def _about(field):
    if isinstance(field, fields.Date):
        return "a date, YYYY-MM-DD"
    if isinstance(field, (fields.Integer, fields.Float)):
        return "a number"
    for check in _validators(field):
        said = [c.cell_contents for c in getattr(check, "__closure__", None) or ()
                if isinstance(c.cell_contents, str)]  # schema._pattern's message, e.g. "6 digits"
        if said:
            return said[0]
    return field.metadata.get("description", "")


def _values_text(allowed):
    return " | ".join(f"{value} ({label})" if label else value for value, label in allowed or ())


def notes_rows():
    """Rows describing every column: column, required, allowed values, what it holds."""
    return [(name, "required 必填" if required else "", _values_text(allowed), about)
            for name, required, allowed, about in columns()]


def write_csv(stream):
    """The header row only (a CSV has no room for notes): UTF-8 with a BOM, so Excel reads Chinese."""
    text = io.StringIO()
    csv.writer(text).writerow([name for name, *_ in columns()])
    stream.write(("\ufeff" + text.getvalue()).encode("utf-8"))


def write_notes_csv(stream):
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(("column", "required", "allowed values", "what it holds"))
    writer.writerows(notes_rows())
    stream.write(("\ufeff" + text.getvalue()).encode("utf-8"))


def files():
    """{kind: (download name, writer, media type)} of the template's three files."""
    return {"xlsx": ("register-template.xlsx", write_xlsx,
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            "csv": ("register-template.csv", write_csv, "text/csv"),
            "notes": ("register-template-notes.csv", write_notes_csv, "text/csv")}


def write_xlsx(stream):
    """Sheet 1 is the register (the one imported), a drop-down on each coded column; sheet 2 the notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "register 登记表"
    cols = columns()
    sheet.append([name for name, *_ in cols])
    for index, (_name, _required, allowed, _about) in enumerate(cols, 1):
        letter = sheet.cell(row=1, column=index).column_letter
        if allowed and len(",".join(v for v, _ in allowed)) < 250:  # Excel's limit for an inline list
            check = DataValidation(type="list", formula1='"' + ",".join(v for v, _ in allowed) + '"',
                                   allow_blank=True)
            check.add(f"{letter}2:{letter}100000")
            sheet.add_data_validation(check)
        sheet.column_dimensions[letter].width = max(12, len(_name) + 2)
        if _name.endswith(_TEXT_COLUMNS):  # typed as text, or Excel drops leading zeros and digits
            sheet.column_dimensions[letter].number_format = "@"
    notes = book.create_sheet("notes 说明")
    notes.append(("column", "required", "allowed values", "what it holds"))
    for row in notes_rows():
        notes.append(row)
    book.save(stream)

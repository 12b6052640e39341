"""Register files (CSV, XLSX, JSON lines) to household records, and their all-or-nothing import.

CSV/XLSX layout: one row per household, a header row with the record's field names
(archive_id, province, province_code, county, county_code, township, township_code, village,
village_code, group, head_name, phone, registration_year, poverty_attribute, main_cause, status,
exit_year, ...) plus:
- `other_causes`: keys separated by `|` (e.g. `lack_skills|lack_capital`);
- members as repeated columns `m1_name, m1_sex, m1_relation, m1_birth_date, m1_id_number, m1_health,
  m1_labour, m1_school`, then `m2_...`, as many as needed (a member whose cells are all empty is skipped);
- `income_<year>`: the per-capita net income of that year (e.g. `income_2019`);
- `food, clothing, water, education, medical, housing`: the 两不愁三保障 indicators (1/0, true/false);
- `latitude`, `longitude`: the dwelling;
- `helpers`, `measures`: JSON arrays, as in the API.
Empty cells are left out. ID numbers must be text cells in XLSX (a number loses digits).
"""
import csv
import io
import re
from datetime import date, datetime

import orjson
from openpyxl import load_workbook

from server.errors import Problem
from server.households import service
from server.households.retry import commit_with_retries

MAX_ROWS = 200_000
_MEMBER = re.compile(r"m(\d{1,2})_(\w+)")
_INCOME = re.compile(r"income_(\d{4})")
_INTEGERS = {"registration_year", "exit_year"}
_FLOATS = {"latitude", "longitude"}
_BOOLEANS = {"food", "clothing", "water", "education", "medical", "housing"}
_JSON = {"helpers", "measures"}
_TRUE, _FALSE = {"1", "true", "yes", "是"}, {"0", "false", "no", "否"}


def read_upload(stream, filename):
    """(records, line numbers) from an uploaded .csv, .xlsx or .jsonl file."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        return _rows_to_records(_xlsx_rows(stream))
    if name.endswith((".jsonl", ".ndjson")):
        return _jsonl(stream)
    if name.endswith(".csv"):
        return _rows_to_records(_csv_rows(stream))
    raise Problem("import.bad_format", "Send a .csv, .xlsx or .jsonl file.", 400)


def _csv_rows(stream):
    try:
        text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        for row in reader:
            yield reader.line_num, row
    except UnicodeDecodeError:
        raise Problem("import.bad_encoding", "The CSV file is not UTF-8.", 400) from None


def _xlsx_rows(stream):
    try:
        book = load_workbook(io.BytesIO(stream.read()), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise Problem("import.bad_file", f"The XLSX file cannot be read: {exc}", 400) from None
    for number, row in enumerate(book.active.iter_rows(values_only=True), 1):
        yield number, ["" if v is None else v for v in row]


def _jsonl(stream):
    records, lines = [], []
    for number, line in enumerate(stream, 1):
        if line.strip():
            try:
                records.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise Problem("import.bad_json", f"line {number} is not JSON: {exc}", 400) from None
            lines.append(number)
    return records, lines


def _rows_to_records(rows):
    header, records, lines = None, [], []
    for number, row in rows:
        if header is None:
            header = [str(h).strip() for h in row]
        elif any(str(v).strip() for v in row):
            records.append(row_to_record(header, row))
            lines.append(number)
        if len(records) > MAX_ROWS:
            raise Problem("import.too_large", f"A file holds at most {MAX_ROWS} households.", 413)
    return records, lines


def row_to_record(header, row):
    record, members, income = {}, {}, {}
    for name, value in zip(header, row):
        value = value.strip() if isinstance(value, str) else value
        if value == "" or not name:
            continue
        if (match := _MEMBER.fullmatch(name)):
            members.setdefault(int(match[1]), {})[match[2]] = _cell(match[2], value)
        elif (match := _INCOME.fullmatch(name)):
            income[int(match[1])] = _number(value, float)
        else:
            _put(record, name, value)
    if members:
        record["members"] = [members[k] for k in sorted(members)]
    if income:
        record["income"] = [{"year": y, "per_capita_net": v} for y, v in sorted(income.items())]
    return record


def _put(record, name, value):
    if name in _BOOLEANS:
        record.setdefault("indicators", {})[name] = _boolean(value)
    elif name in ("latitude", "longitude"):
        record.setdefault("location", {})[name] = _number(value, float)
    elif name == "other_causes":
        record[name] = [part.strip() for part in str(value).split("|") if part.strip()]
    elif name in _JSON:
        record[name] = _json(value)
    else:
        record[name] = _cell(name, value)


def _cell(name, value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if name in _INTEGERS:
        return _number(value, int)
    if isinstance(value, (int, float)) and name not in _FLOATS:
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


def _number(value, kind):
    # An unconvertible cell stays as it is, so the schema reports it with the field name.
    try:
        number = float(value)
        return int(number) if kind is int and number.is_integer() else kind(number)
    except (TypeError, ValueError):
        return value


def _boolean(value):
    text = str(value).strip().lower()
    return True if text in _TRUE else False if text in _FALSE else value


def _json(value):
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return value


def import_records(evaluation_id, records, lines, actor):
    """Validate every record of a file, then apply them all in one transaction (or none).

    Errors carry `line` (the file's line or row number) besides the record index.
    """
    try:
        loaded = service.check_batch(records, limit=MAX_ROWS)
    except Problem as problem:
        for detail in problem.details:
            detail["line"] = lines[detail["index"]]
        raise
    rows = service.prepare_batch(loaded)
    step = service.MAX_BATCH

    def work():
        totals = {"received": 0, "created": 0, "updated": 0, "unchanged": 0, "last_change_seq": 0}
        for start in range(0, len(rows), step):
            result = service.apply_batch(evaluation_id, rows[start:start + step], actor)
            totals = {k: totals[k] + result[k] for k in totals if k != "last_change_seq"}
            totals["last_change_seq"] = result["last_change_seq"]
        totals["batches"] = -(-len(rows) // step)
        return totals
    return commit_with_retries(work)

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

from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.progress import unwatched
from server.households import service, upload_checks
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
    """(records, line numbers) from an uploaded .csv, .xlsx or .jsonl file, after upload_checks."""
    kind, data = upload_checks.read_checked(stream, filename)
    if kind == "xlsx":
        return _rows_to_records(_xlsx_rows(data))
    if kind == "jsonl":
        return _jsonl(io.BytesIO(data))
    return _rows_to_records(_csv_rows(data))


def _csv_rows(data):
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    try:
        for row in reader:
            yield reader.line_num, row
    except csv.Error as exc:
        raise Problem("import.bad_csv", msg("Line %(line)d is not CSV: %(error)s", line=reader.line_num,
                                            error=str(exc)), 400, [{"line": reader.line_num}]) from None


def _xlsx_rows(data):
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
        header = next(sheet.iter_rows(values_only=True), ())
        width = max((i + 1 for i, v in enumerate(header) if v not in (None, "")), default=1)
        yield 1, ["" if v is None else v for v in header[:width]]
        # Only the header's columns: a sheet whose dimension claims 16,384 columns costs no more.
        for number, row in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), 2):
            yield number, ["" if v is None else v for v in row]
    except Exception:  # openpyxl raises many types for a damaged file, at the start or midway
        raise Problem("import.not_xlsx",
                      msg("The file's content is not a .%(kind)s file, whatever its name says.",
                          kind="xlsx"), 400, [{"kind": "xlsx"}]) from None


def _jsonl(stream):
    records, lines = [], []
    for number, line in enumerate(stream, 1):
        if line.strip():
            try:
                records.append(orjson.loads(line))
            except orjson.JSONDecodeError as exc:
                raise Problem("import.bad_json",
                              msg("Line %(line)d is not JSON: %(error)s", line=number, error=str(exc)),
                              400, [{"line": number}]) from None
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
            raise Problem("import.too_many_rows",
                          msg("A file holds at most %(limit)d households.", limit=MAX_ROWS), 413)
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


def column_of(field):
    """The file column (as the template names it) of a record field path such as members.0.id_number."""
    parts = field.split(".")
    if parts[0] == "members" and len(parts) > 2 and parts[1].isdigit():
        return f"m{int(parts[1]) + 1}_{parts[2]}"
    if parts[0] in ("indicators", "location") and len(parts) > 1:
        return parts[1]
    if parts[0] == "income":
        return "income_<year>"
    return parts[0]


def import_records(evaluation_id, records, lines, actor, progress=unwatched, commit=commit_with_retries):
    """Validate every record of a file, then apply them all in one transaction (or none), telling
    `progress` (server/infra/progress.py) how many are written. `commit(work)` runs the writes and
    commits them (a worker passes one that leaves the commit to its event's transaction).

    Errors carry `line` (the file's line or row number) besides the record index.
    """
    progress(0, len(records), msg("checking the records"))
    try:
        loaded = service.check_batch(records, limit=MAX_ROWS)
    except Problem as problem:
        for detail in problem.details:
            detail["line"] = lines[detail["index"]]
            detail["column"] = column_of(detail["field"])
        raise
    rows = service.prepare_batch(loaded)
    step = service.MAX_BATCH

    def work():
        totals = {"received": 0, "created": 0, "updated": 0, "unchanged": 0, "last_change_seq": 0}
        for start in range(0, len(rows), step):
            progress(start, len(rows), msg("writing the records"))
            result = service.apply_batch(evaluation_id, rows[start:start + step], actor,
                                         card_tokens=rows.card_tokens)
            totals = {k: totals[k] + result[k] for k in totals if k != "last_change_seq"}
            totals["last_change_seq"] = result["last_change_seq"]
        progress(len(rows), len(rows), msg("written"))
        totals["batches"] = -(-len(rows) // step)
        return totals
    return commit(work)

"""One interview -> its rows in each table of the export's layout. Pure.

Values stay typed (numbers are numbers, so XLSX, SPSS and Stata keep them); writers turn them into text
where they need to. An ID number in an answer is masked unless the caller may see it in full.
"""
from datetime import timezone

from forms.labels import pick
from server.households import idcard

MAIN_BEFORE = (("SubmissionDate", "提交时间", "Submission date"),)
MAIN_AFTER = (
    ("KEY", "实例编号", "Instance ID"), ("FormVersion", "表单版本", "Form version"),
    ("DeviceID", "设备编号", "Device ID"), ("Enumerator", "调查员", "Enumerator code"),
    ("Household", "户编号", "Household code"), ("Village", "村代码", "Village code"),
    ("ReviewStatus", "审核状态", "Review status"), ("Findings", "规则发现", "Finding codes"),
    ("Reconciliation", "核对结果", "Reconciliation result"), ("Classification", "分类", "Classification"),
    ("ReviewedAt", "审核时间", "Review time"), ("AttachmentsPresent", "已收附件", "Attachments present"),
    ("AttachmentsExpected", "应有附件", "Attachments expected"), ("Encrypted", "加密", "Encrypted"),
)
REPEAT_AFTER = (("PARENT_KEY", "上级编号", "Parent key"), ("KEY", "编号", "Key"))


def headers(table):
    """Column names of `table` in order."""
    before, after = (MAIN_BEFORE, MAIN_AFTER) if not table.key else ((), REPEAT_AFTER)
    return [m[0] for m in before] + [c.name for c in table.columns] + [m[0] for m in after]


def labels(table, language):
    """The label row of `table` in `language` (zh or en)."""
    zh = language.startswith("zh")
    before, after = (MAIN_BEFORE, MAIN_AFTER) if not table.key else ((), REPEAT_AFTER)
    return ([m[1] if zh else m[2] for m in before] + [pick(c.label, language) for c in table.columns]
            + [m[1] if zh else m[2] for m in after])


class Flattener:
    """Rows of every table for one interview at a time (`tables` from layout.build)."""

    def __init__(self, tables, show_id_numbers=False):
        self.main, self.repeats = tables[0], tables[1:]
        self.children = {}
        for table in self.repeats:
            self.children.setdefault(table.parent, []).append(table)
        self.show_id_numbers = show_id_numbers
        self.plans = {table.name: _plan(table, show_id_numbers) for table in tables}

    def rows(self, record, data):
        """{table name: [row, ...]} for `record` whose answers' data is `data` (None: not readable)."""
        out = {table.name: [] for table in (self.main, *self.repeats)}
        self.add(record, data, out)
        return out

    def add(self, record, data, out):
        """Append `record`'s rows to out[table name] (lists for a whole batch, so no dict per interview)."""
        data = data or {}
        out[self.main.name].append(self._main_row(record, data))
        self._repeat_rows(None, data, record.instance_id, out)

    def _main_row(self, record, data):
        expected = len((record.answers or {}).get("attachments") or ())
        return ([iso(record.received_at)] + self._values(self.main, data) + [
            record.instance_id, record.version, record.device_id, record.enumerator, record.household,
            record.village, record.review_status, " ".join(record.findings),
            reconciliation_summary(record.comparisons), classification_summary(record.classification),
            iso(record.reviewed_at), record.present, expected, "yes" if record.encrypted else "no"])

    def _repeat_rows(self, parent_path, data, parent_key, out):
        for table in self.children.get(parent_path, ()):
            for index, item in enumerate(data.get(table.key) or (), start=1):
                if not isinstance(item, dict):
                    continue
                key = f"{parent_key}/{table.key}[{index}]"
                out[table.name].append(self._values(table, item) + [parent_key, key])
                self._repeat_rows(table.path, item, key, out)

    def _values(self, table, data):
        return self.plans[table.name](data)


def _plan(table, show_id_numbers):
    """A function data -> the table's answer cells in column order, compiled once per table: the hot
    loop of a million-row export, where a generic loop over the columns took twice as long. One step per
    answer key: the cells of a key are worked out together (a GPS point's four, a select-multiple's value
    and 0/1 columns). Keys and choice values enter the code as repr() literals only."""
    lines = ["def cells(data):", "    get = data.get", "    row = []",
             "    append, extend = row.append, row.extend"]
    for key, step, parts in _steps(table):
        lines.append(f"    answer = get({key!r})")
        lines.extend("    " + line for line in _STEP_CODE[step](parts))
    lines.append("    return row")
    namespace = {"HIDE": not show_id_numbers, "problem_with": idcard.problem_with, "mask": idcard.mask,
                 "joined": _joined}
    exec(compile("\n".join(lines), f"<export cells of {table.name!r}>", "exec"), namespace)
    return namespace["cells"]


def _steps(table):
    """[(answer key, step, parts)] covering the table's columns in order."""
    steps = []
    for column in table.columns:
        last = steps[-1] if steps else None
        if column.kind in ("gps", "choice") and last is not None and last[0] == column.key:
            last[2].append(column.part)
        elif column.kind == "gps":
            steps.append((column.key, "gps", [column.part]))
        elif column.field_type == "select_multiple":
            steps.append((column.key, "select", []))
        elif column.field_type in ("geotrace", "geoshape"):
            steps.append((column.key, "trace", []))
        else:
            steps.append((column.key, "plain", []))
    return steps


def _plain_code(parts):
    # A text of 18 characters that is a valid resident ID number is masked (no role sees them in full).
    return ["kind = answer.__class__",
            "if kind is str:",
            "    if HIDE and len(answer) == 18 and problem_with(answer) is None:",
            "        answer = mask(answer)",
            "elif kind is list or kind is dict:",
            "    answer = joined(answer, ' ')",
            "append(answer)"]


def _gps_code(parts):
    return ["if answer.__class__ is dict:",
            "    point = answer.get",
            f"    extend(({''.join(f'point({p!r}), ' for p in parts)}))",
            "else:",
            f"    extend({(None,) * len(parts)!r})"]


def _select_code(parts):
    return ["if answer is None:",
            f"    extend({(None,) * (len(parts) + 1)!r})",
            "else:",
            "    chosen = answer if answer.__class__ is list else str(answer).split()",
            "    append(' '.join(map(str, chosen)))",
            f"    extend(({''.join(f'1 if {p!r} in chosen else 0, ' for p in parts)}))"]


def _trace_code(parts):  # a trace or shape: its points joined by ";"
    return ["append(None if answer is None else joined(answer, ';'))"]


_STEP_CODE = {"plain": _plain_code, "gps": _gps_code, "select": _select_code, "trace": _trace_code}


def _joined(answer, separator):
    if isinstance(answer, list):
        return separator.join(_text_of(a) for a in answer)
    return _text_of(answer)


def _text_of(value):
    if isinstance(value, dict):  # a GPS point inside a trace or shape
        return " ".join(str(value[k]) for k in ("lat", "lon", "alt", "accuracy") if k in value)
    return str(value)


def iso(moment):
    """UTC ISO 8601 with milliseconds and Z, as ODK Central writes SubmissionDate."""
    if moment is None:
        return None
    return moment.astimezone(timezone.utc).isoformat(timespec="milliseconds")[:-6] + "Z"  # +00:00 -> Z


def reconciliation_summary(comparisons):
    """'agrees', 'differs: item, item', or None when the interview was not reconciled."""
    if comparisons is None:
        return None
    differs = [c.get("item") for c in comparisons if c.get("verdict") == "differs"]
    return f"differs: {', '.join(differs)}" if differs else "agrees"


def classification_summary(classification):
    """'<household type>; flag=verdict ...' (错评 wrongly_registered, 漏评 missed, 错退 wrongly_exited)."""
    if not classification:
        return None
    flags = classification.get("flags") or {}
    parts = [f"{flag}={(value or {}).get('verdict')}" for flag, value in sorted(flags.items())]
    return "; ".join([classification.get("household_type") or "-", *parts])

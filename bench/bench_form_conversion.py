"""Benchmark: convert a 3,000-row XLSForm and print how long compile and ODK Validate take.

The form mixes what real questionnaires have: groups, repeats, select_one/select_multiple
over shared choice lists, constrained numbers, relevance, calculations and notes.
Run:  python bench/bench_form_conversion.py [--rows 3000] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from forms import compile_xlsform  # noqa: E402
from forms.rows import RowIndex  # noqa: E402
from forms.validate import odk_validate  # noqa: E402

HEADER = ["type", "name", "label::中文 (zh)", "label::English (en)", "required", "relevant",
          "constraint", "calculation", "repeat_count"]
LISTS = 60


def question(i: int) -> list[str]:
    """One of six question kinds, cycling, each depending on an earlier answer."""
    kind = i % 6
    if kind == 0:
        return [f"select_one list{i % LISTS}", f"q{i}", f"问题 {i}", f"Question {i}", "yes", "", "", "", ""]
    if kind == 1:
        return ["integer", f"q{i}", f"数量 {i}", f"Count {i}", "yes", f"${{q{i - 1}}} != ''",
                ". >= 0 and . <= 1000", "", ""]
    if kind == 2:
        return [f"select_multiple list{i % LISTS}", f"q{i}", f"多选 {i}", f"Multi {i}", "", "", "", "", ""]
    if kind == 3:
        return ["calculate", f"q{i}", "", "", "", "", "", f"coalesce(${{q{i - 2}}}, 0) * 2", ""]
    if kind == 4:
        return ["text", f"q{i}", f"说明 {i}", f"Text {i}", "", f"${{q{i - 3}}} > 10", "", "", ""]
    return ["decimal", f"q{i}", f"金额 {i}", f"Amount {i}", "", "", ". >= 0", "", ""]


def survey_rows(total: int) -> list[list[str]]:
    """Sections of 40 questions; every fourth section is a repeat. Padded with notes to `total`."""
    rows: list[list[str]] = []
    section, i = 0, 6  # from 6 so that every back-reference (up to i - 3) exists
    while len(rows) + 42 <= total:
        kind = "repeat" if section % 4 == 3 else "group"
        count = "3" if kind == "repeat" else ""
        label = [f"第 {section} 部分", f"Part {section}"]
        rows.append([f"begin_{kind}", f"s{section}", *label, "", "", "", "", count])
        for _ in range(40):
            rows.append(question(i))
            i += 1
        rows.append([f"end_{kind}", "", "", "", "", "", "", "", ""])
        section += 1
    while len(rows) < total:
        rows.append(["note", f"n{len(rows)}", "备注", "Note", "", "", "", "", ""])
    return rows


def build_xlsx(path: Path, total: int) -> None:
    wb = Workbook()
    survey = wb.active
    survey.title = "survey"
    for row in [HEADER, *survey_rows(total)]:
        survey.append(row)
    choices = wb.create_sheet("choices")
    choices.append(["list_name", "name", "label::中文 (zh)", "label::English (en)"])
    for n in range(LISTS):
        for c in range(5 + n % 6):
            choices.append([f"list{n}", f"c{c}", f"选项 {c}", f"Option {c}"])
    settings = wb.create_sheet("settings")
    settings.append(["form_id", "version", "default_language"])
    settings.append(["bench_3000", "1", "中文 (zh)"])
    wb.save(path)


def timed(fn, runs: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench_3000.xlsx"
        build_xlsx(path, args.rows)
        compile_times, compiled = timed(lambda: compile_xlsform(path, validate=False), args.runs)
        validate_times, _ = timed(lambda: odk_validate(compiled.xml, RowIndex([]), "en"), args.runs)
        size = path.stat().st_size
    report(args, size, compiled, compile_times, validate_times)


def report(args, size, compiled, compile_times, validate_times) -> None:
    def fmt(ts: list[float]) -> str:
        return f"median {statistics.median(ts):.2f} s (min {min(ts):.2f}, max {max(ts):.2f})"

    print(f"XLSForm: {args.rows} survey rows, {size / 1024:.0f} KiB .xlsx, {len(compiled.fields)} fields, "
          f"XForm {len(compiled.xml_bytes) / 1024:.0f} KiB")
    print(f"compile (pyxform + XForm read-back), {args.runs} runs: {fmt(compile_times)}")
    print(f"ODK Validate, {args.runs} runs:                     {fmt(validate_times)}")
    total = statistics.median(compile_times) + statistics.median(validate_times)
    print(f"total per upload (median): {total:.2f} s")


if __name__ == "__main__":
    main()

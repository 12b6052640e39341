"""Run ODK Validate (the jar shipped inside the pyxform wheel) on an XForm.

pyxform alone accepts some forms Collect cannot open (an unbalanced parenthesis in a
constraint, for one); ODK Validate parses the XForm with JavaRosa, Collect's own engine.
We call the jar ourselves rather than through pyxform's wrapper to own the timeout and
to turn its Java output into located details.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from pyxform.validators.odk_validate import ODK_VALIDATE_PATH

from forms.errors import detail, form_error
from forms.messages import translate
from forms.rows import RowIndex

DEFAULT_TIMEOUT = 120.0
# Short-lived JVM: skip the optimising compiler and the parallel GC, both pure start-up cost here.
_JVM_FLAGS = ("-Djava.awt.headless=true", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
_NOISE = re.compile(
    r"^(\s*at |Validating:|>> Xform|>> XForm|The following files failed|Result: |\s*\.\.\. \d+ more)"
)
_EXC_PREFIX = re.compile(r"^[\w.$]+(Exception|Error):\s*")
_PATH = re.compile(r"(/[\w.-]+(?:/[\w.-]+)+)")
# How Validate's wording names the XLSForm column an expression came from.
_COLUMN_WORDS = (("display condition", "relevant"), ("invalid constraint", "constraint"),
                 ("invalid calculate", "calculation"), ("invalid relevant", "relevant"),
                 ("invalid required", "required"), ("invalid readonly", "read_only"))


def odk_validate(xml: str, rows: RowIndex, lang: str, timeout: float = DEFAULT_TIMEOUT) -> tuple[str, ...]:
    """Validate `xml`; return ODK Validate's warnings or raise FormError.

    Codes: form.validate_failed (the form is invalid), form.validator_unavailable
    (no Java, or the run timed out).
    """
    java = shutil.which("java")
    if java is None:
        raise form_error("form.validator_unavailable", lang)
    with tempfile.TemporaryDirectory(prefix="fieldcheck-validate-") as tmp:
        path = Path(tmp) / "form.xml"
        path.write_text(xml, encoding="utf-8")
        try:
            proc = subprocess.run(
                [java, *_JVM_FLAGS, "-jar", ODK_VALIDATE_PATH, str(path)],
                capture_output=True, text=True, timeout=timeout, check=False,
            )
        except subprocess.TimeoutExpired:
            why = detail(f"timeout after {timeout:.0f} s")
            raise form_error("form.validator_unavailable", lang, [why]) from None
    lines = _clean(proc.stderr, str(path))
    if proc.returncode != 0:
        found = [_locate(line, rows, lang) for line in lines] or [detail(f"exit code {proc.returncode}")]
        raise form_error("form.validate_failed", lang, found)
    return tuple(f"ODK Validate: {line}" for line in lines)


def _clean(output: str, path: str) -> list[str]:
    """Keep the messages; drop Java stack frames, banners, the temp file's name and repeats."""
    seen: list[str] = []
    for raw in output.splitlines():
        line = raw.strip()
        if not line or _NOISE.match(raw) or line == path:
            continue
        line = _EXC_PREFIX.sub("", line).replace(path, "form.xml")
        if line not in seen:
            seen.append(line)
    return seen


def _locate(line: str, rows: RowIndex, lang: str) -> dict:
    """A Validate message names the bind's instance path; map it back to the survey row."""
    row = next((r for p in _PATH.findall(line) if (r := rows.row_of_path(p))), None)
    message, _ = translate(_PATH.sub(lambda m: _as_reference(m.group(1), rows), line), lang)
    column = next((col for words, col in _COLUMN_WORDS if words in line), None)
    return detail(message, sheet="survey" if row else None, row=row, column=column)


def _as_reference(path: str, rows: RowIndex) -> str:
    """Authors know fields as ${name}, not as instance paths; leave other paths alone."""
    return "${%s}" % path.rsplit("/", 1)[-1] if rows.row_of_path(path) else path

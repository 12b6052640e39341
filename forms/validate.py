"""Run ODK Validate (the jar shipped inside the pyxform wheel) on an XForm.

pyxform alone accepts some forms Collect cannot open (an unbalanced parenthesis in a
constraint, for one); ODK Validate parses the XForm with JavaRosa, Collect's own engine.
We call the jar ourselves rather than through pyxform's wrapper to own the timeout and
to turn its Java output into located details (forms.validate_messages).
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

from forms.errors import detail, form_error
from forms.rows import RowIndex
from forms.validate_messages import clean, locate, messages

DEFAULT_TIMEOUT = 120.0
# Short-lived JVM: skip the optimising compiler and the parallel GC, both pure start-up cost here.
_JVM_FLAGS = ("-Djava.awt.headless=true", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def odk_validate(xml: str, rows: RowIndex, lang: str, timeout: float = DEFAULT_TIMEOUT) -> tuple[str, ...]:
    """Validate `xml`; return ODK Validate's warnings or raise FormError.

    Codes: form.validate_failed (the form is invalid), form.validator_unavailable
    (no Java, or the run timed out).
    """
    from pyxform.validators.odk_validate import ODK_VALIDATE_PATH

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
            why = detail("validate.timeout", f"{timeout:.0f} 秒后超时", f"timeout after {timeout:.0f} s", lang)
            raise form_error("form.validator_unavailable", lang, [why]) from None
    if proc.returncode != 0:
        found = [locate(m, rows, lang) for m in messages(proc.stderr, str(path))]
        if not found:
            code = proc.returncode
            found = [detail("validate.error", f"ODK Validate 退出码 {code}", f"exit code {code}", lang)]
        raise form_error("form.validate_failed", lang, found)
    return tuple(f"ODK Validate: {line}" for line in clean(proc.stderr, str(path)))

"""fieldcheck's forms: XLSForm -> XForm compilation, the form contract, the shipped questionnaires.

The only package that imports pyxform; it imports nothing from `server`.

    compiled = compile_xlsform("survey.xlsx")          # FormError on any problem
    compiled = stamp_version(compiled, "2025013101")    # when the XLSForm has none
    report = contract.resolve(compiled)                 # which checks this form supports
"""

from forms.errors import FormError
from forms.model import Choice, CompiledForm, Field
from forms.safety import Limits
from forms.xform import stamp_version, without_submission_action, without_submission_url

_COMPILER = ("compile_xlsform", "describe")  # imported when first used: reading forms needs no compiler


def __getattr__(name):
    if name in _COMPILER:
        from forms import compile as compiler  # lazy: reading and serving forms need no compiler

        return getattr(compiler, name)
    raise AttributeError(f"module 'forms' has no attribute {name!r}")


__all__ = [
    "Choice", "CompiledForm", "Field", "FormError", "Limits",
    "compile_xlsform", "describe", "stamp_version", "without_submission_action", "without_submission_url",
]

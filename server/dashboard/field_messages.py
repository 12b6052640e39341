"""Validation messages of the domain (marshmallow's and the register schema's, in English) in the page's
language. The domain's wording stays the API's and the CLI's; a message not known here is shown as it is.
"""
import re

from flask_babel import gettext as _

from server.dashboard.i18n import language
from server.households import codes
from server.infra.i18n import Msg
from server.infra.validation_messages import FIELD_MESSAGES

# Exact messages: the register schema's own (server/households/schema.py) and marshmallow's usual ones.
_EXACT = {
    "Missing data for required field.": lambda: _("Required."),
    "Field may not be null.": lambda: _("Required."),
    "Not a valid string.": lambda: _("Must be text."),
    "Not a valid integer.": lambda: _("Must be a whole number."),
    "Not a valid number.": lambda: _("Must be a number."),
    "Not a valid boolean.": lambda: _("Must be 1 or 0 (yes or no)."),
    "Not a valid date.": lambda: _("Must be a date, YYYY-MM-DD."),
    "Not a valid list.": lambda: _("Must be a list."),
    "Invalid input type.": lambda: _("Not in the expected form."),
    "Unknown field.": lambda: _("Not a column of the register (see the template)."),
    "String does not match expected pattern.": lambda: _("Not in the expected form."),
    "2 or 6 digits": lambda: _("Must be 2 or 6 digits."),
    "6 digits": lambda: _("Must be 6 digits."),
    "9 digits": lambda: _("Must be 9 digits."),
    "12 digits": lambda: _("Must be 12 digits."),
    "not a phone number": lambda: _("Not a phone number."),
    "1-64 letters, digits, '-' or '_'": lambda: _("1 to 64 letters, digits, '-' or '_'."),
    "8-128 letters, digits, '-' or '_'": lambda: _("8 to 128 letters, digits, '-' or '_'."),
    "must be 18 characters: 17 digits and a digit or 'X' (GB 11643)":
        lambda: _("An ID number is 18 characters: 17 digits, then a digit or X (GB 11643)."),
    "the birth date inside the ID number is not a date":
        lambda: _("The birth date inside the ID number is not a date."),
    "wrong check digit (GB 11643)": lambda: _("The ID number's last character (its check digit) is wrong."),
    "the birth date inside the ID number differs from birth_date":
        lambda: _("The birth date inside the ID number differs from the birth date."),
    "does not start with the province code": lambda: _("Does not start with the province code."),
    "does not start with the county code": lambda: _("Does not start with the county code."),
    "does not start with the township code": lambda: _("Does not start with the township code."),
    "must be empty while the household has not exited":
        lambda: _("Must be empty while the household has not exited."),
    "is required when the status is exited or returned":
        lambda: _("Required when the status is exited or returned to poverty."),
    "is before the registration year": lambda: _("Is before the registration year."),
    "a household that never exited cannot have returned to poverty":
        lambda: _("A household that never exited cannot have returned to poverty."),
    "is before the exit year": lambda: _("Is before the exit year."),
    "must differ from each other and from main_cause":
        lambda: _("Must differ from each other and from the main cause."),
    "exactly one member must have relation 'head'":
        lambda: _("Exactly one member must be the head of household."),
    "differs from the name of the member whose relation is 'head'":
        lambda: _("Differs from the name of the member who is the head of household."),
    "each year may appear once": lambda: _("Each year may appear once."),
    "give exactly one of size or share (or sizes)":
        lambda: _("Give either the households per stratum or a share (or sizes per group)."),
}

# Messages with values in them.
_PATTERNS = [
    (re.compile(r"Must be one of: (.*)\."),
     lambda m: _("Must be one of: %(values)s.", values=_labelled(m[1]))),
    (re.compile(r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\."),
     lambda m: _("Must be from %(low)s to %(high)s.", low=m[1], high=m[2])),
    (re.compile(r"Must be greater than (\S+) and less than or equal to (\S+)\."),
     lambda m: _("Must be more than %(low)s and at most %(high)s.", low=m[1], high=m[2])),
    (re.compile(r"Length must be between (\d+) and (\d+)\."),
     lambda m: _("Must have from %(low)s to %(high)s characters or items.", low=m[1], high=m[2])),
    (re.compile(r"Shorter than minimum length (\d+)\."), lambda m: _("Must have at least %(n)s.", n=m[1])),
    (re.compile(r"Longer than maximum length (\d+)\."), lambda m: _("Must have at most %(n)s.", n=m[1])),
    (re.compile(r"the same household is already record (\d+) of this batch"),
     lambda m: _("The same household code is already on another row of this file.")),
]


_LABELS = [table for table in vars(codes).values() if isinstance(table, dict)]


def _labelled(values):
    """"exited, returned" with the Chinese label of each code on a Chinese page: exited（已脱贫）, ..."""
    if language() != "zh":
        return values
    out = []
    for value in values.split(", "):
        label = next((table[value] for table in _LABELS if value in table), None)
        out.append(f"{value}（{label}）" if label else value)
    return "、".join(out)


# A marshmallow message the domain words itself (validation_messages.py): back to marshmallow's text,
# so that the page keeps its own words for it.
_WORDED = {worded.text: original for original, worded in FIELD_MESSAGES.items()}


def translated(message):
    """`message` in the page's language: the page's own words when it is one of the domain's known
    messages, else a msg() rendered in that language (a plain text as it is)."""
    text = _WORDED.get(message.text, str(message)) if isinstance(message, Msg) else message
    known = _EXACT.get(text)
    if known is not None:
        return known()
    for pattern, say in _PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            return say(match)
    return message.render(language()) if isinstance(message, Msg) else message


LEVELS = {"province": lambda: _("province"), "county": lambda: _("county"),
          "township": lambda: _("township"), "village": lambda: _("village")}


def _detail(problem, key, default=""):
    return next((d[key] for d in problem.details if key in d), default)


# The register's and the samples' Problems (server/households) in the page's language.
_PROBLEMS = {
    "import.bad_format": lambda p: _("Send a .csv, .xlsx or .jsonl file."),
    "import.empty": lambda p: _("The file is empty."),
    "import.too_large": lambda p: _("The file is larger than %(mb)s MB; split the register into several "
                                    "files (each import is all or nothing).", mb=_detail(p, "limit_mb", 100)),
    "import.too_many_rows": lambda p: _("The file holds more households than one import takes; split it."),
    "import.old_excel": lambda p: _("This is an old Excel file (.xls) named .xlsx; save it as an Excel "
                                    "workbook (.xlsx) and send it again."),
    "import.not_xlsx": lambda p: _("The file's content is not an .xlsx spreadsheet, whatever its name says."),
    "import.not_csv": lambda p: _("The file's content is not CSV text, whatever its name says."),
    "import.not_jsonl": lambda p: _("The file's content is not JSON lines, whatever its name says."),
    "import.zip_bomb": lambda p: _("The .xlsx file's zip structure is not a spreadsheet's (it would inflate "
                                   "far beyond its size); nothing was read."),
    "import.spreadsheet_as_text": lambda p: _("This file is a spreadsheet, not a text file: name it .xlsx, "
                                              "or save the sheet as CSV UTF-8."),
    "import.gbk": lambda p: _("The file is in GBK (GB18030), as Excel saves CSV on Chinese Windows, not in "
                              "UTF-8 (first at line %(line)s). In Excel choose Save As, 'CSV UTF-8 (comma "
                              "delimited)', or upload the .xlsx.", line=_detail(p, "line", 1)),
    "import.bad_encoding": lambda p: _("The file is not UTF-8 text (line %(line)s).",
                                       line=_detail(p, "line", 1)),
    "import.bad_csv": lambda p: _("Line %(line)s is not CSV.", line=_detail(p, "line", 1)),
    "import.bad_json": lambda p: _("Line %(line)s is not JSON.", line=_detail(p, "line", 1)),
    "household.invalid": lambda p: _("%(errors)s error(s) in %(rows)s row(s); nothing was imported.",
                                     errors=len(p.details), rows=len({d.get("index") for d in p.details})),
    "household.card_token_taken": lambda p: _("A pre-issued card token is already another household's; "
                                              "nothing was imported."),
    "household.not_found": lambda p: _("There is no such household in the register."),
    "sample.bad_design": lambda p: _("The sample design is not valid: see the fields marked."),
    "sample.empty": lambda p: _("No active household of the register matches this design: import the "
                                "register first, or check the villages chosen."),
    "sample.not_found": lambda p: _("There is no such sample in this evaluation."),
    "sample.unit_not_found": lambda p: _("This unit is not in the sample."),
    "sample.unit_replaced": lambda p: _("Some of these units were replaced: assign their substitutes."),
    "sample.bad_reason": lambda p: _("Choose why the household was not interviewed."),
    "sample.bad_note": lambda p: _("The note is at most 400 characters."),
    "sample.already_replaced": lambda p: _("This unit was already replaced."),
    "sample.no_substitute": lambda p: _("No household is left in this unit's stratum to replace it."),
    "assignment.recusal": lambda p: _("Nothing was assigned: %(n)s unit(s) may not go to %(enumerator)s "
                                      "(recusal).", n=len(p.details) or 1,
                                      enumerator=_detail(p, "enumerator", "")),
    "assignment.override_forbidden": lambda p: _("Only an admin may override a recusal refusal."),
    "assignment.exists": lambda p: _("This enumerator already has this assignment."),
    "enumerator.not_found": lambda p: _("There is no such enumerator in this evaluation."),
}


def problem_text(problem):
    """The Problem's message in the page's language, or None when it is not one of the register's."""
    say = _PROBLEMS.get(problem.code)
    return say(problem) if say is not None else None


def refusal_text(detail):
    """Why the recusal rule refused one unit, in the page's language."""
    level = LEVELS.get(detail.get("level"), lambda: detail.get("level", ""))()
    return _("%(enumerator)s comes from the same %(level)s (%(place)s): an enumerator never interviews in "
             "their own %(level)s.", enumerator=detail.get("enumerator", ""), level=level,
             place=detail.get("place", ""))

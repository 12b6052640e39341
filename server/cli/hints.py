"""What to do next, printed under a command's error: the Problem says what went wrong (in the same
words as the API), the hint names the command, option or fix that helps on the command line."""
from server.infra.i18n import msg

_FIX_THE_FORM = msg("Correct the XLSForm where the lines above say, then run the same command again.")
_FIX_THE_FILE = msg("Correct the file where the lines above say and import it again: nothing was imported. "
                    "`fieldcheck households template register.xlsx` writes an empty register with every "
                    "column and its allowed values.")

# Problem code: the hint.
HINTS = {
    "evaluation.not_found": msg("`fieldcheck evaluations list` shows the evaluation codes."),
    "evaluation.exists": msg("`fieldcheck evaluations list` shows the codes in use; choose another."),
    "evaluation.bad_code": msg("For example: `fieldcheck evaluations create county-2020 --name \"...\"`."),
    "form.not_found": msg("`fieldcheck forms list CODE` shows the forms of the evaluation and their ids."),
    "enumerator.not_found": msg("`fieldcheck enumerators list CODE` shows the evaluation's enumerators."),
    "sample.not_found": msg("`fieldcheck samples list CODE` shows the evaluation's samples."),
    "token.not_found": msg("`fieldcheck tokens list CODE` shows the evaluation's tokens."),
    "event.not_found": msg("`fieldcheck pipeline failures CODE` shows the events that failed."),
    "user.not_found": msg("Check the spelling; `fieldcheck users create` makes a user."),
    "form.invalid": _FIX_THE_FORM,
    "form.not_xlsform": msg("Give the .xlsx (or .xls, .csv, .md) file of the XLSForm itself."),
    "form.validate_failed": _FIX_THE_FORM,
    "form.media_missing": msg("Add each file with --media FILE (repeat the option), named as the form "
                              "writes it; `fieldcheck forms list CODE` shows what is still missing."),
    "form.version_exists": msg("Raise the version in the XLSForm's settings sheet, then publish again."),
    "form.unpublished": msg("Publish it first: `fieldcheck forms publish CODE FILE`."),
    "import.bad_encoding": msg("Save the file as \"CSV UTF-8\" (Excel: Save As, CSV UTF-8), or import the "
                               ".xlsx itself."),
    "import.bad_format": msg("Name the file .csv, .xlsx or .jsonl. `fieldcheck households template "
                             "register.xlsx` writes an empty register to fill in."),
    "import.bad_file": msg("Open the file in Excel or WPS and save it again as .xlsx, or save it as CSV "
                           "UTF-8."),
    "import.bad_json": msg("Each line of a .jsonl file is one household record as a JSON object."),
    "import.too_large": msg("Split the file by county or township and import each part."),
    "household.invalid": _FIX_THE_FILE,
    "household.not_found": msg("Check the archive id; the register holds only the households imported."),
    "household.card_token_taken": _FIX_THE_FILE,
    "account.weak_password": msg("Set FIELDCHECK_PASSWORD to a longer password, or type one at the prompt."),
    "account.needs_evaluation": msg("Add --evaluation CODE, or make a site admin with --role admin."),
    "account.exists": msg("Choose another name, or change that user's password with `fieldcheck users "
                          "password NAME`."),
    "enumerator.place_required": msg("Give --county NAME or --county-code CODE (6 digits)."),
    "enumerator.no_token": msg("`fieldcheck enumerators rotate-token CODE USERNAME` gives them one."),
    "assignment.recusal": msg("To assign anyway, give --override \"the justification\" (it goes to the "
                              "audit log), or choose an enumerator from elsewhere."),
    "backcheck.no_backcheckers": msg("Name the back-check team with --backchecker USERNAME (repeat it), or "
                                     "create enumerators first."),
    "decryption.bad_key": msg("Give the form's private key with --private-key FILE, and its passphrase in "
                              "FIELDCHECK_KEY_PASSPHRASE."),
    "decryption.wrong_key": msg("Give the private key whose public key is in this form's settings sheet."),
    "export.unknown_form": msg("`fieldcheck forms list CODE` shows the form ids."),
    "export.too_large": msg("Narrow the interviews with --village, --enumerator, --from or --to, or give "
                            "--format csv."),
    "server.unavailable": msg("Check that the database is running (DATABASE_URL), then try again."),
}


def hint(problem, lang):
    """The hint for `problem` in `lang`, or None."""
    found = HINTS.get(problem.code)
    return found.render(lang) if found is not None else None

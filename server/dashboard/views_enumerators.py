"""The enumerators: their quality (part 1's table), create, edit and deactivate them, their Collect QR code
on screen and as a printable sheet, a new token (the old QR code stops at once), a Digest password, and
their assignments. The QR code and the sheet hold the enumerator's credential: the `enumerators` action."""
from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server.accounts import device_sheet, provisioning
from server.accounts.users import MIN_PASSWORD
from server.backchecks.enumerators import enumerator_rows
from server.dashboard import security
from server.dashboard.access import actor, in_evaluation
from server.dashboard.blueprint import bp
from server.dashboard.errors import problem_message
from server.dashboard import once
from server.dashboard.field_messages import translated
from server.households.assignments import of_enumerator
from server.infra.errors import Problem
from server.infra import addresses, rate_limits
from server.infra.extensions import db

PLACE = ("province", "county", "township", "village", "county_code", "township_code", "village_code")
FIELDS = ("username", "display_name", "phone", "team", *PLACE)


@bp.get("/dashboard/<code>/enumerators")
@in_evaluation("read")
def enumerators_page(evaluation):
    return _list(evaluation)


def _list(evaluation, errors=None, values=None, status=200):
    return render_template("dashboard/enumerators.html", evaluation=evaluation,
                           rows=enumerator_rows(evaluation), errors=errors or {}, values=values or {}), status


@bp.post("/dashboard/<code>/enumerators")
@in_evaluation("enumerators")
@once.guarded
def enumerator_create(evaluation):
    values = {f: request.form.get(f, "") for f in FIELDS}
    try:
        enumerator, _token = provisioning.create_checked(evaluation, values, actor())
    except Problem as problem:
        db.session.rollback()
        return _list(evaluation, field_errors(problem), values, problem.status)
    db.session.commit()
    flash(_("Enumerator %(name)s created. Show them this QR code to set up ODK Collect.",
            name=enumerator.display_name), "info")
    return redirect(url_for("dashboard.enumerator_qr_page", code=evaluation.code,
                            username=enumerator.username), 303)


@bp.get("/dashboard/<code>/enumerators/<username>")
@in_evaluation("read")
def enumerator_page(evaluation, username):
    return _detail(evaluation, provisioning.find_enumerator(evaluation, username))


def _detail(evaluation, enumerator, errors=None, values=None, status=200):
    return render_template("dashboard/enumerator.html", evaluation=evaluation, enumerator=enumerator,
                           quality=enumerator_rows(evaluation, only=enumerator)[0],
                           assignments=of_enumerator(enumerator, limit=200), errors=errors or {},
                           values=values or {f: getattr(enumerator, f) or "" for f in FIELDS},
                           min_password=MIN_PASSWORD), status


@bp.post("/dashboard/<code>/enumerators/<username>")
@in_evaluation("enumerators")
@once.guarded
def enumerator_edit(evaluation, username):
    enumerator = provisioning.find_enumerator(evaluation, username)
    values = {f: request.form.get(f, "") for f in FIELDS if f != "username"}
    try:
        changed = provisioning.edit_checked(enumerator, values, actor())
    except Problem as problem:
        db.session.rollback()
        return _detail(evaluation, enumerator, field_errors(problem), {**values, "username": username},
                       problem.status)
    db.session.commit()
    flash(_("Saved.") if changed else _("Nothing changed."), "info")
    return _back(evaluation, username)


@bp.post("/dashboard/<code>/enumerators/<username>/active")
@in_evaluation("enumerators")
@once.guarded
def enumerator_active(evaluation, username):
    enumerator = provisioning.find_enumerator(evaluation, username)
    active = request.form.get("active") == "yes"
    provisioning.update_enumerator(enumerator, {"active": active}, actor())
    db.session.commit()
    flash(_("Active again: their phone works with its QR code.") if active else
          _("Deactivated: their phone is refused from now on."), "info")
    return _back(evaluation, username)


@bp.post("/dashboard/<code>/enumerators/<username>/password")
@in_evaluation("enumerators")
@once.guarded
def enumerator_password(evaluation, username):
    enumerator = provisioning.find_enumerator(evaluation, username)
    password, again = request.form.get("password", ""), request.form.get("password_again", "")
    error = None
    if password != again:
        error = _("The two passwords differ.")
    elif len(password) < MIN_PASSWORD:
        error = _("A password needs at least %(n)s characters.", n=MIN_PASSWORD)
    if error is None:
        try:
            provisioning.set_password(enumerator, password, actor())
        except Problem as problem:
            error = problem_message(problem)
    if error is not None:
        db.session.rollback()
        return _detail(evaluation, enumerator, {"password": error}, status=422)
    db.session.commit()
    flash(_("Password set. With it, the server address without a token is %(url)s.",
            url=f"{provisioning.public_root()}/{evaluation.code}"), "info")
    return _back(evaluation, username)


@bp.post("/dashboard/<code>/enumerators/<username>/token")
@in_evaluation("enumerators")
@once.guarded
@rate_limits.both("TOKENS", lambda: g.user.username)
def enumerator_rotate(evaluation, username):
    enumerator = provisioning.find_enumerator(evaluation, username)
    provisioning.rotate(evaluation, enumerator, actor())
    db.session.commit()
    flash(_("New token: the old QR code and address stopped working. Scan this one on their phone."), "info")
    return redirect(url_for("dashboard.enumerator_qr_page", code=evaluation.code, username=username), 303)


@bp.get("/dashboard/<code>/enumerators/<username>/qr")
@in_evaluation("enumerators")
def enumerator_qr_page(evaluation, username):
    enumerator = provisioning.find_enumerator(evaluation, username)
    entries, skipped = device_sheet.entries(evaluation, [enumerator])
    entry = entries[0] if entries else None
    return render_template("dashboard/enumerator_qr.html", evaluation=evaluation, enumerator=enumerator,
                           entry=entry, why=skipped[0][1] if skipped else None,
                           loopback=entry is not None and addresses.is_loopback(entry["url"]))


@bp.get("/dashboard/<code>/enumerator-sheet")
@in_evaluation("enumerators")
def enumerator_sheet(evaluation):
    chosen = device_sheet.chosen(evaluation, request.args.getlist("username"))
    html, _printed, _skipped = device_sheet.render_sheet(evaluation, chosen)
    return security.with_own_styles(html)


def _back(evaluation, username):
    return redirect(url_for("dashboard.enumerator_page", code=evaluation.code, username=username), 303)


FIELD_MESSAGES = {
    "required": lambda: _("This is needed."),
    "format": lambda: _("This is not in the expected form."),
    "too_long": lambda: _("This is too long."),
    "code_mismatch": lambda: _("This area code does not lie in the one above it."),
}
FORMAT_HINTS = {
    "username": lambda: _("Letters, digits, '_', '.' and '-' only (at most 80): it is their Collect "
                          "user name."),
    "phone": lambda: _("Digits, spaces, '+', '-' and brackets only (5 to 32)."),
    "county_code": lambda: _("6 digits."),
    "township_code": lambda: _("9 digits."),
    "village_code": lambda: _("12 digits."),
}


def field_errors(problem):
    """{field: message in the page's language} from a Problem's details."""
    if problem.code == "account.exists":
        return {"username": _("An enumerator with this username already exists here.")}
    if problem.code == "enumerator.place_required":
        return {"county": _county_needed()}
    errors = {}
    for d in problem.details:
        field, kind = d.get("field", "form"), d.get("code")
        if kind == "format" and field in FORMAT_HINTS:
            errors[field] = FORMAT_HINTS[field]()
        elif kind == "required" and field == "county":
            errors[field] = _county_needed()
        else:
            errors[field] = FIELD_MESSAGES.get(kind, lambda: translated(d.get("message", "")))()
    return errors or {"form": problem_message(problem)}


def _county_needed():
    return _("Give the home county (a name or its 6-digit code): the own-locality rule needs it.")

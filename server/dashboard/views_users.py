"""Users and roles of an evaluation, and its audit log: for those allowed "users" there (admins).

The same domain services as the API (server/accounts/members.py, audit_log.py). A generated password is
shown once, on a page of its own (server/dashboard/once.py); every form post is done once.
"""
from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server.accounts import audit_log, members
from server.accounts.roles import COLUMNS, NAMES, ROLES, table
from server.dashboard import once
from server.dashboard.access import actor, in_evaluation
from server.dashboard.blueprint import bp
from server.dashboard.errors import problem_message
from server.infra.errors import Problem
from server.infra.extensions import db

# The actions' families, offered in the audit log's filter (any other text is matched too).
FAMILIES = ("assignment", "backcheck", "classification", "enumerator", "evaluation", "event", "form",
            "household", "households", "member", "pipeline", "reconciliation", "recusal", "rules", "sample",
            "session", "submission", "token", "user")


def messages():
    """Problems of this page in the page's language, by code."""
    return {
        "account.bad_username": _("A username is 2 to 80 lowercase letters, digits, '.', '_' or '-', "
                                  "starting with a letter or digit."),
        "account.bad_role": _("Choose a role."),
        "member.exists": _("This user already has a role in this evaluation: change it in the table below."),
        "member.self": _("You cannot change your own role or account here; ask another admin."),
        "member.site_admin": _("A site admin is an admin in every evaluation; their role cannot change "
                               "here."),
        "member.not_manageable": _("This user also works in an evaluation you do not manage (or is a site "
                                   "admin): ask a site admin."),
        "user.not_found": _("There is no such user in this evaluation."),
    }


def _message(problem):
    return messages().get(problem.code) or problem_message(problem)


@bp.get("/dashboard/<code>/users")
@in_evaluation("users")
def users_page(evaluation):
    return _users(evaluation)


def _users(evaluation, form=None, errors=None, status=200):
    return render_template("dashboard/users.html", evaluation=evaluation, rows=members.members(evaluation),
                           roles=ROLES, form=form or {"role": "viewer"}, errors=errors or {},
                           role_table=table(), role_columns=COLUMNS,
                           role_labels=NAMES), status


@bp.post("/dashboard/<code>/users")
@in_evaluation("users")
@once.guarded
def add_user(evaluation):
    form = {k: request.form.get(k, "").strip() for k in ("username", "display_name", "role")}
    if not form["username"]:
        return _users(evaluation, form, {"username": _("Enter a username.")}, 422)
    try:
        user, password = members.add(evaluation, form["username"], form["role"], actor(),
                                     form["display_name"])
    except Problem as problem:
        db.session.rollback()
        field = (problem.details or [{}])[0].get("field", "username")
        return _users(evaluation, form, {field: _message(problem)}, 422)
    db.session.commit()
    if password is None:
        flash(_("%(name)s now has a role in this evaluation.", name=user.username), "info")
        return redirect(url_for("dashboard.users_page", code=evaluation.code))
    return _show_password(evaluation, user.username, password, created=True)


@bp.post("/dashboard/<code>/users/<username>/<change>")
@in_evaluation("users")
@once.guarded
def change_user(evaluation, username, change):
    if change not in ("role", "remove", "password", "deactivate", "activate"):
        abort(404)
    here = url_for("dashboard.users_page", code=evaluation.code)
    try:
        user = members.find_member(evaluation, username)
        password = _apply(evaluation, user, change)
    except Problem as problem:
        db.session.rollback()
        if problem.status == 404:
            raise
        flash(_message(problem), "error")
        return redirect(here)
    db.session.commit()
    if password is not None:
        return _show_password(evaluation, user.username, password, created=False)
    flash(_done_message(change, user.username), "info")
    return redirect(here)


def _apply(evaluation, user, change):
    """Do `change` to `user`; the new password when there is one."""
    if change == "role":
        members.set_role(evaluation, user, request.form.get("role"), actor(), g.user)
    elif change == "remove":
        members.remove(evaluation, user, actor(), g.user)
    elif change == "password":
        return members.reset_password(evaluation, user, actor(), g.user)
    elif change == "deactivate":
        members.deactivate(evaluation, user, actor(), g.user)
    else:
        members.activate(evaluation, user, actor(), g.user)
    return None


def _done_message(change, name):
    return {"role": _("The role of %(name)s is changed.", name=name),
            "remove": _("%(name)s no longer has a role in this evaluation.", name=name),
            "deactivate": _("%(name)s is deactivated: they cannot sign in, and their sessions have ended.",
                            name=name),
            "activate": _("%(name)s may sign in again.", name=name)}[change]


def _show_password(evaluation, username, password, created):
    """The page that shows the new password once: reached by a redirect, so a reload shows nothing."""
    key = once.keep_secret(f"{username}\n{password}\n{int(created)}")
    if key is None:  # no Redis: shown in this answer, which the browser does not keep
        return _password_page(evaluation, username, password, created)
    return redirect(url_for("dashboard.user_password_page", code=evaluation.code, key=key))


@bp.get("/dashboard/<code>/users/new-password/<key>")
@in_evaluation("users")
def user_password_page(evaluation, key):
    kept = once.take_secret(key)
    if kept is None:
        return render_template("dashboard/user_password.html", evaluation=evaluation, gone=True), 410
    username, password, created = kept.split("\n")
    return _password_page(evaluation, username, password, created == "1")


def _password_page(evaluation, username, password, created):
    page = render_template("dashboard/user_password.html", evaluation=evaluation, username=username,
                           password=password, created=created, gone=False)
    return page, 200, {"Cache-Control": "no-store"}


@bp.get("/dashboard/<code>/audit")
@in_evaluation("users")
def audit_page(evaluation):
    filters = {k: request.args.get(k, "").strip() for k in ("actor", "action", "since", "until")}
    errors, rows, cursor = {}, [], None
    try:
        rows, cursor = audit_log.entries(evaluation, after=request.args.get("after"),
                                         **{k: v or None for k, v in filters.items()})
    except Problem as problem:
        field = problem.details[0]["field"]
        errors[field] = (_("This page link is not valid any more; start from the first page.")
                         if field == "after" else _("Write a date as YYYY-MM-DD."))
    return render_template("dashboard/audit.html", evaluation=evaluation, rows=rows, cursor=cursor,
                           filters=filters, errors=errors, families=FAMILIES,
                           first_page=not request.args.get("after")), 422 if errors else 200

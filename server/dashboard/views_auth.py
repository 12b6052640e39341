"""Sign in, sign out, and the language switch."""
from flask import flash, g, make_response, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from server.accounts import audit
from server.accounts.users import authenticate
from server.dashboard.blueprint import bp
from server.dashboard.access import safe_next, signed_in
from server.dashboard.errors import problem_message
from server.dashboard.i18n import COOKIE, LOCALES
from server.dashboard.security import cookie_secure
from server.infra.errors import Problem
from server.infra import rate_limits
from server.accounts.evaluations import role_of
from server.infra.extensions import db
from server.models import Evaluation
from server.sessions import end_session, session_user, start_session


@bp.get("/login")
def login():
    if session_user(session) is not None:
        return redirect(safe_next(request.args.get("next")))
    return render_template("dashboard/login.html", next=safe_next(request.args.get("next"), ""))


@bp.post("/login")
@rate_limits.both("SIGN_IN", rate_limits.sign_in_name, failures_only=True)
def login_post():
    target = safe_next(request.form.get("next"))
    try:
        user = authenticate(request.form.get("username", "").strip(), request.form.get("password", ""))
    except Problem as problem:
        db.session.commit()  # the failure count is kept
        message = _locked_message(problem) if problem.code == "auth.locked" else problem_message(problem)
        return render_template("dashboard/login.html", next=target, error=message,
                               locked=problem.code == "auth.locked",
                               username=request.form.get("username", "")), problem.status
    start_session(session, user)
    audit.record(f"user:{user.username}", "session.sign_in", f"user:{user.id}", {"surface": "dashboard"})
    db.session.commit()
    return redirect(target)


def _locked_message(problem):
    minutes = (problem.details or [{}])[0].get("minutes", 15)
    return _("Too many failed sign-ins for this account: it is locked for %(minutes)s minutes.",
             minutes=minutes)


@bp.post("/logout")
def logout():
    end_session(session)
    flash(_("You have signed out."), "info")
    return redirect(url_for("dashboard.login"))


@bp.post("/dashboard/language")
def language():
    chosen = request.form.get("language")
    response = make_response(redirect(safe_next(request.form.get("next"))))
    if chosen in LOCALES:
        response.set_cookie(COOKIE, chosen, max_age=365 * 24 * 3600, httponly=True, samesite="Lax",
                            secure=cookie_secure())
    return response


@bp.get("/")
@signed_in
def evaluations():
    rows = db.session.query(Evaluation).filter(Evaluation.archived.is_(False)).order_by(Evaluation.code).all()
    mine = [(e, role_of(g.user, e)) for e in rows]
    return render_template("dashboard/evaluations.html", evaluations=[(e, r) for e, r in mine if r])

"""An evaluation's settings (admins: "settings"): the recusal and quality rules with their parameters and
severities, the recusal level, the reconciliation and the figures settings; and the re-check they call for.

The same domain services as the API (server/recusal/review.py, server/reconciliation/review.py), but a
save does not re-check by itself: the page then says the findings follow the earlier settings and offers
the re-check (server/pipeline/operations.py), whose progress it follows, so several changes cost one.
"""
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from server.dashboard import form_errors, once, settings_forms
from server.dashboard.access import actor, in_evaluation
from server.dashboard.blueprint import bp
from server.evaluation_settings import reconciliation as reconciliation_settings
from server.figures.rates import TITLES
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import JobRecord
from server.pipeline import job_records, operations
from server.reconciliation import review as reconciliation_review
from server.recusal import review
from server.recusal import settings as rule_settings
from server.recusal.registry import RULES
from server.recusal.types import SEVERITIES


@bp.get("/dashboard/<code>/settings")
@in_evaluation("settings")
def settings_page(evaluation):
    return _page(evaluation)


def _page(evaluation, errors=None, section=None, status=200):
    """The page; after a refused save, `section`'s fields show what was typed and `errors` by field."""
    stored = evaluation.settings or {}
    reconciliation = reconciliation_settings.effective(stored)
    entered = request.form if section else None

    def value(form_section, name, default):
        """What was typed in a refused form, else the setting (a function, not a macro: macros escape)."""
        return entered.get(name, "") if entered is not None and section == form_section else default

    context = dict(
        value=value, shown=shown, evaluation=evaluation, errors=errors or {}, section=section,
        entered=entered,
        rules=[(r.info, s) for r, s in zip(RULES, rule_settings.effective(stored).rules)],
        severities=SEVERITIES, could_not_run=rule_settings.effective(stored).could_not_run,
        recusal_level=stored.get("recusal_level", "county"), levels=review.RECUSAL_LEVELS,
        reconciliation=reconciliation, lines=settings_forms.line_rows(reconciliation),
        advanced=(entered.get("advanced") if section == "reconciliation" else
                  settings_forms.reconciliation_shown(stored.get("reconciliation") or {})),
        thresholds=[(name, TITLES.get(name, (name, name)), rule) for name, rule in
                    sorted(reconciliation["thresholds"].items())],
        ops=reconciliation_settings.THRESHOLD_OPS, due=operations.recheck_due(evaluation),
        running=_running_recheck(evaluation))
    return render_template("dashboard/settings.html", **context), status


def shown(value):
    """A number as people write it: 40, not 40.0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _running_recheck(evaluation):
    job = db.session.execute(select(JobRecord).where(
        JobRecord.evaluation_id == evaluation.id, JobRecord.kind == operations.RECHECK_JOB)
        .order_by(JobRecord.created_at.desc()).limit(1)).scalar()
    view = job_records.live_view(job) if job is not None else None
    return view if view and view["state"] in ("queued", "running") else None


def _saved(evaluation, anchor):
    flash(_("Saved.") if operations.recheck_due(evaluation) is None else
          _("Saved. The findings still follow the earlier settings until the interviews are re-checked."),
          "info")
    return redirect(url_for("dashboard.settings_page", code=evaluation.code) + anchor)


def _refused(evaluation, section, messages):
    db.session.rollback()
    return _page(evaluation, messages, section, 422)


def _unchanged(evaluation, anchor):
    flash(_("Nothing changed."), "info")
    return redirect(url_for("dashboard.settings_page", code=evaluation.code) + anchor)


@bp.post("/dashboard/<code>/settings/rules")
@in_evaluation("settings")
@once.guarded
def save_rules(evaluation):
    level = (evaluation.settings or {}).get("recusal_level")
    body = settings_forms.rules_body(request.form, rule_settings.effective({"recusal_level": level}))
    if body == ((evaluation.settings or {}).get("rules") or {"rules": {}, "could_not_run": "review"}):
        return _unchanged(evaluation, "#rules")
    try:
        review.change_settings(evaluation, body, actor(), recheck=False)
    except ValidationError as error:
        return _refused(evaluation, "rules", form_errors.by_field(error.messages))
    db.session.commit()
    return _saved(evaluation, "#rules")


@bp.post("/dashboard/<code>/settings/recusal-level")
@in_evaluation("settings")
@once.guarded
def save_recusal_level(evaluation):
    level = request.form.get("level", "")
    if level == (evaluation.settings or {}).get("recusal_level", "county"):
        return _unchanged(evaluation, "#recusal-level")
    try:
        review.set_recusal_level(evaluation, level, actor(), recheck=False)
    except Problem:
        return _refused(evaluation, "recusal-level", {"level": _("Choose one of the levels.")})
    db.session.commit()
    return _saved(evaluation, "#recusal-level")


@bp.post("/dashboard/<code>/settings/reconciliation")
@in_evaluation("settings")
@once.guarded
def save_reconciliation(evaluation):
    stored = (evaluation.settings or {}).get("reconciliation") or {}
    return _save_reconciliation(evaluation, "reconciliation",
                                lambda: settings_forms.reconciliation_body(request.form, stored))


@bp.post("/dashboard/<code>/settings/figures")
@in_evaluation("settings")
@once.guarded
def save_figures(evaluation):
    stored = (evaluation.settings or {}).get("reconciliation") or {}
    return _save_reconciliation(evaluation, "figures",
                                lambda: (settings_forms.figures_body(request.form, stored), None))


def _save_reconciliation(evaluation, section, build):
    body, bad = build()
    if bad is not None:
        message = _("This is not a JSON object: %(error)s", error=bad[1])
        return _refused(evaluation, section, {bad[0]: message})
    if body == ((evaluation.settings or {}).get("reconciliation") or {}):
        return _unchanged(evaluation, f"#{section}")
    try:
        reconciliation_review.change_settings(evaluation, body, actor(), recheck=False)
    except ValidationError as error:
        messages = form_errors.by_field(error.messages)
        return _refused(evaluation, section, {_field_of(k, section): v for k, v in messages.items()})
    db.session.commit()
    return _saved(evaluation, f"#{section}")


def _field_of(path, section):
    """Which field of the form a domain error is shown next to: its own, or the JSON one."""
    own = {".".join(leaf) for leaf in settings_forms.RECONCILIATION_LEAVES + settings_forms.FIGURES_LEAVES}
    top = path.split(".")
    for n in (3, 2, 1):
        if ".".join(top[:n]) in own:
            return ".".join(top[:n])
    return "advanced" if section == "reconciliation" else path


@bp.post("/dashboard/<code>/settings/recheck")
@in_evaluation("settings")
@once.guarded
def start_recheck(evaluation):
    job, _count = operations.start_recheck(evaluation, actor())
    db.session.commit()
    return redirect(url_for("dashboard.recheck_page", code=evaluation.code, job_id=job.id))


@bp.get("/dashboard/<code>/settings/recheck/<job_id>")
@in_evaluation("settings")
def recheck_page(evaluation, job_id):
    job = job_records.get_job(evaluation, job_id)
    if job.kind != operations.RECHECK_JOB:
        raise Problem("job.not_found", msg("The job %(job_id)r is not a re-check.", job_id=job_id), 404)
    return render_template("dashboard/recheck.html", evaluation=evaluation, job=job_records.live_view(job))

"""The interviews table, one interview with its review, and its attachments."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from server.pipeline import job_records
from server.dashboard.blueprint import bp
from server.dashboard.access import actor, in_evaluation
from server.dashboard.errors import problem_message
from server.dashboard.i18n import language
from server.dashboard.svgmap import location_map
from server.infra.errors import Problem
from server.infra.extensions import db
from server.infra.file_responses import send_attachment
from server.models import Form
from server.reconciliation import review as classification
from server.recusal import bulk_review, interview_table, location, review
from server.recusal.queries import interview_detail
from server.recusal.registry import RULES
from server.submissions import answer_sheet, attachments, history

ACTIONS = ("clear", "exclude", "revisit", "comment")


@bp.get("/dashboard/<code>/interviews")
@in_evaluation("read")
def interviews_page(evaluation):
    filters = {name: request.args.get(name, "").strip() for name in interview_table.FILTERS}
    filters = {k: v for k, v in filters.items() if v}
    sort = request.args.get("sort", "date")
    if sort not in interview_table.SORTS:
        abort(404)
    rows, cursor = interview_table.page(evaluation, filters, sort, request.args.get("after"))
    forms = db.session.query(Form.xml_form_id, Form.title).filter(Form.evaluation_id == evaluation.id).all()
    rules = sorted((r.info for r in RULES), key=lambda r: r.code)
    return render_template("dashboard/interviews.html", evaluation=evaluation, rows=rows, cursor=cursor,
                           filters=filters, sort=sort, forms=forms, rules=rules,
                           first_page=not request.args.get("after"))


@bp.get("/dashboard/<code>/interviews/<instance_id>")
@in_evaluation("read")
def interview_page(evaluation, instance_id):
    submission = review.find_submission(evaluation, instance_id)
    detail = interview_detail(submission)
    latest = review.latest_decision(submission.id)
    where = location.interview_location(submission)
    return render_template(
        "dashboard/interview.html", evaluation=evaluation, submission=submission, detail=detail,
        sections=answer_sheet.sheet(submission, language(), _type_labels()) if submission.answers else [],
        where=where, map=location_map(where), seen=latest.id if latest else 0,
        reconciliation=_reconciliation(submission), versions=history.versions(submission),
        activity=history.activity(submission),
        next_flagged=interview_table.next_flagged(evaluation, submission))


def _type_labels():
    return {"start": _("Started"), "end": _("Ended"), "today": _("Date on the phone"),
            "deviceid": _("Device"), "username": _("Enumerator on the phone")}


def _reconciliation(submission):
    try:
        return classification.reconciliation_of(submission)
    except Problem:
        return None


@bp.post("/dashboard/<code>/interviews/<instance_id>/review")
@in_evaluation("review")
def review_post(evaluation, instance_id):
    submission = review.find_submission(evaluation, instance_id)
    action, reason = request.form.get("action"), request.form.get("reason", "")
    here = url_for("dashboard.interview_page", code=evaluation.code, instance_id=instance_id)
    try:
        if action in ("clear", "exclude"):
            review.decide(evaluation, submission, action, reason, actor(), seen=request.form.get("seen", 0))
        elif action == "revisit":
            review.request_revisit(evaluation, submission, reason, actor())
        elif action == "comment":
            review.comment(evaluation, submission, reason, actor())
        else:
            abort(400)
    except Problem as problem:
        db.session.rollback()
        flash(problem_message(problem), "error")
        return redirect(here)
    db.session.commit()
    flash(_("Saved."), "info")
    following = request.form.get("then") == "next" and interview_table.next_flagged(evaluation, submission)
    if following:
        return redirect(url_for("dashboard.interview_page", code=evaluation.code, instance_id=following))
    return redirect(here)


@bp.post("/dashboard/<code>/interviews/<instance_id>/classification")
@in_evaluation("review")
def classification_post(evaluation, instance_id):
    submission = review.find_submission(evaluation, instance_id)
    try:
        classification.decide(evaluation, submission, request.form.get("flag"), request.form.get("decision"),
                              request.form.get("reason", ""), actor())
    except Problem as problem:
        db.session.rollback()
        flash(problem_message(problem), "error")
    else:
        db.session.commit()
        flash(_("Saved."), "info")
    return redirect(url_for("dashboard.interview_page", code=evaluation.code, instance_id=instance_id))


@bp.get("/dashboard/<code>/interviews/<instance_id>/attachments/<name>")
@in_evaluation("read")
def attachment(evaluation, instance_id, name):
    found = attachments.find_attachment(evaluation, instance_id, name)
    return send_attachment(found, attachments.stored_path(found), inline=True)


@bp.post("/dashboard/<code>/interviews/bulk")
@in_evaluation("review")
def bulk_post(evaluation):
    scope = request.form.get("scope", "selected")
    selected = request.form.getlist("instance_id") if scope == "selected" else ()
    filters = {k: request.form.get(k, "") for k in interview_table.FILTERS} if scope == "filter" else {}
    try:
        job = bulk_review.start(evaluation, request.form.get("action"), request.form.get("reason", ""),
                                actor(), selected, filters)
    except Problem as problem:
        flash(problem_message(problem), "error")
        return redirect(url_for("dashboard.interviews_page", code=evaluation.code,
                                **{k: v for k, v in filters.items() if v}))
    db.session.commit()
    return redirect(url_for("dashboard.job_page", code=evaluation.code, job_id=job.id))


@bp.get("/dashboard/<code>/jobs/<job_id>")
@in_evaluation("read")
def job_page(evaluation, job_id):
    job = job_records.live_view(job_records.get_job(evaluation, job_id))
    return render_template("dashboard/job.html", evaluation=evaluation, job=job)

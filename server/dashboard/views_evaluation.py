"""An evaluation's overview: what came in, what waits, the worker (the enumerators: views_enumerators)."""
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from server.pipeline import operations
from server.dashboard.blueprint import bp
from server.dashboard.access import actor, in_evaluation
from server.infra.extensions import db, rq
from server.recusal.registry import RULES
from server.recusal import overview


@bp.get("/dashboard/<code>/")
@in_evaluation("read")
def overview_page(evaluation):
    try:
        worker = operations.status(rq)
    except Exception:  # Redis down: the page still shows what the database knows
        worker = None
    changed_at, households = overview.last_import(evaluation)
    return render_template("dashboard/overview.html", evaluation=evaluation,
                           interviews=overview.interviews_by(evaluation),
                           waiting=overview.waiting_by_rule(evaluation),
                           awaiting=overview.awaiting_review(evaluation), worker=worker,
                           failed=operations.failed_events(evaluation, limit=20),
                           register_changed_at=changed_at, households=households,
                           titles={r.info.code: r.info for r in RULES})


@bp.post("/dashboard/<code>/pipeline/<int:event_id>/retry")
@in_evaluation("review")
def retry_event(evaluation, event_id):
    operations.retry_event(evaluation, event_id, actor())
    db.session.commit()
    flash(_("The event is queued again."), "info")
    return redirect(url_for("dashboard.overview_page", code=evaluation.code))

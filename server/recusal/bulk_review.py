"""Bulk review: one decision (clear, exclude, request a re-visit) with one reason, applied to a selection of
interviews or to everything a filter of the interview table matches, as a job with progress.

Each interview is decided on its own (its own decision row and audit entry, in its own savepoint), so one
that cannot take the decision (not checked yet, say) is reported and the others go on. Domain code: the
worker step commits.
"""
from server.pipeline import job_records
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Evaluation
from server.recusal import review
from server.recusal import interview_table as table

KIND = EVENT = "review.bulk"
ACTIONS = ("clear", "exclude", "revisit")
MAX_SELECTION = 5000
BATCH = 200


def start(evaluation, action, reason, actor, instance_ids=(), filters=None):
    """Queue the job; returns its JobRecord. Raises Problem review.bad_decision, review.reason_required,
    review.empty_selection (422)."""
    if action not in ACTIONS:
        raise Problem("review.bad_decision",
                      msg("The decision is one of %(choices)s.", choices=", ".join(ACTIONS)),
                      422)
    if len((reason or "").strip()) < review.MIN_REASON:
        raise Problem("review.reason_required", msg("A decision needs a written reason of at least %(count)d "
                                                    "characters.", count=review.MIN_REASON), 422,
                      [{"field": "reason", "message": msg("too short")}])
    instance_ids = list(dict.fromkeys(instance_ids))[:MAX_SELECTION]
    filters = {k: v for k, v in (filters or {}).items() if k in table.FILTERS and v}
    if not instance_ids and not filters:
        raise Problem("review.empty_selection", msg("Select interviews, or apply a filter first."), 422)
    params = {"action": action, "reason": reason.strip(), "actor": actor, "instance_ids": instance_ids,
              "filters": filters}
    return job_records.start_job(evaluation.id, KIND, params, EVENT)


def targets(evaluation, params):
    """The instance ids the job decides on: the selection, or what the filter matches when it runs."""
    if params.get("instance_ids"):
        return params["instance_ids"]
    found, cursor = [], None
    while len(found) < MAX_SELECTION:
        rows, cursor = table.page(evaluation, params["filters"], "date", cursor, BATCH)
        found += [r["instance_id"] for r in rows]
        if cursor is None:
            break
    return found[:MAX_SELECTION]


def run(job):
    """Decide on every target; record the outcome on the job."""
    evaluation = db.session.get(Evaluation, job.evaluation_id)
    params = job.params
    ids = targets(evaluation, params)
    done, skipped = 0, []
    for n, instance_id in enumerate(ids, 1):
        try:
            with db.session.begin_nested():
                _decide(evaluation, instance_id, params)
            done += 1
        except Problem as problem:
            skipped.append({"instance_id": instance_id, "code": problem.code, "message": problem.message})
        if n % 20 == 0:
            job_records.progress(job.id, int(100 * n / len(ids)), f"{n} of {len(ids)}")
    job.state, job.progress, job.error = "done", 100, None
    job.message = f"{done} of {len(ids)} decided"
    job.result = {"total": len(ids), "done": done, "skipped": skipped[:500]}


def _decide(evaluation, instance_id, params):
    submission = review.find_submission(evaluation, instance_id)
    if params["action"] == "revisit":
        review.request_revisit(evaluation, submission, params["reason"], params["actor"])
    else:
        review.decide(evaluation, submission, params["action"], params["reason"], params["actor"])

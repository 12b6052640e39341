"""What happens after each event: event name -> the steps that run, in order.

Read this file to know the whole pipeline at a glance; the queue each event runs on is in
server/pipeline/events.py, beside the outbox that emits it.
"""
from worker.steps import (chain, exports, forms, health, households, reconcile, review, rules, submissions,
                          webhooks)
from worker.batch import SubmissionBatch

SUBMISSION_STEPS = (submissions.parse_submission, rules.check_submission,
                    reconcile.reconcile_submission, submissions.complete_submission)

EVENT_JOBS = {
    "system.ping": (health.pong,),
    "form.convert": (forms.convert_form,),
    "households.import": (households.import_register,),
    "export.run": (exports.run_export,),
    "report.run": (exports.run_report,),
    "household_files.run": (exports.run_household_files,),
    "submission.received": SUBMISSION_STEPS,
    "submission.recheck": SUBMISSION_STEPS,
    "review.bulk": (review.bulk_review_step,),
    "chain.sweep": (chain.sweep_chain,),
    "webhook.deliver": (webhooks.deliver_webhooks,),
}

# Run by the drain after each claimed batch, with its events: what later work they ask for.
AFTER_BATCH = (chain.after_batch,)

# Events whose steps run a claimed batch at a time: the batch reads once, each step takes the event's
# Work and computes in memory, and the batch writes every event's results at once (worker/batch.py).
# The steps of other events take the event and write through the session.
BATCHES = {
    "submission.received": SubmissionBatch,
    "submission.recheck": SubmissionBatch,
}

# Run when an event has failed for good, so what it concerns shows the failure too.
EVENT_FAILED = {
    "submission.received": submissions.mark_failed,
    "submission.recheck": submissions.mark_failed,
    "export.run": exports.mark_failed,
    "report.run": exports.mark_failed,
    "household_files.run": exports.mark_failed,
    "households.import": households.mark_failed,
}


def jobs_for(name):
    try:
        return EVENT_JOBS[name]
    except KeyError:
        raise LookupError(f"no jobs are registered for event {name!r}") from None

"""What happens after each event: event name -> the jobs that run, in order, and the queue they run on.

Read this file to know the whole pipeline at a glance.
"""
from worker import form_jobs, reconcile_jobs, rule_jobs, steps, submission_jobs
from worker.batch import SubmissionBatch

SUBMISSION_STEPS = (submission_jobs.parse_submission, rule_jobs.check_submission,
                    reconcile_jobs.reconcile_submission, submission_jobs.complete_submission)

EVENT_JOBS = {
    "system.ping": (steps.pong,),
    "form.convert": (form_jobs.convert_form,),
    "submission.received": SUBMISSION_STEPS,
    "submission.recheck": SUBMISSION_STEPS,
}

# Events whose steps run a claimed batch at a time: the batch reads once, each step takes the event's
# Work and computes in memory, and the batch writes every event's results at once (worker/batch.py).
# The steps of other events take the event and write through the session.
BATCHES = {
    "submission.received": SubmissionBatch,
    "submission.recheck": SubmissionBatch,
}

# Run when an event has failed for good, so what it concerns shows the failure too.
EVENT_FAILED = {
    "submission.received": submission_jobs.mark_failed,
    "submission.recheck": submission_jobs.mark_failed,
}

EVENT_QUEUES = {
    "system.ping": "default",
    "form.convert": "forms",
    "submission.received": "submissions",
    "submission.recheck": "submissions",
}


def queue_for(name):
    return EVENT_QUEUES.get(name, "default")


def jobs_for(name):
    try:
        return EVENT_JOBS[name]
    except KeyError:
        raise LookupError(f"no jobs are registered for event {name!r}") from None

"""What happens after each event: event name -> the jobs that run, in order, and the queue they run on.

Read this file to know the whole pipeline at a glance.
"""
from worker import steps

EVENT_JOBS = {
    "system.ping": (steps.pong,),
}

EVENT_QUEUES = {
    "system.ping": "default",
}


def queue_for(name):
    return EVENT_QUEUES.get(name, "default")


def jobs_for(name):
    try:
        return EVENT_JOBS[name]
    except KeyError:
        raise LookupError(f"no jobs are registered for event {name!r}") from None

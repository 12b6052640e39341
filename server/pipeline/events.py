"""Every kind of outbox event and the queue it runs on: the domain's half of the pipeline.

What runs for each event is the worker's business (worker/events.py maps events to steps); which queue an
event goes to is decided here, where events are emitted, so the domain never imports the worker.
"""
EVENT_QUEUES = {
    "system.ping": "default",
    "form.convert": "forms",
    "households.import": "imports",
    "export.run": "exports",
    "report.run": "exports",
    "household_files.run": "exports",
    "submission.received": "submissions",
    "submission.recheck": "submissions",
    "review.bulk": "default",
    "chain.sweep": "chain",  # its own queue: chaining never waits behind (or holds up) submissions
    "webhook.deliver": "webhooks",  # a slow receiver holds up nothing else
}


def queue_for(name):
    return EVENT_QUEUES.get(name, "default")

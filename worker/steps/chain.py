"""The evidence chain's step: one sweep per `chain.sweep` event, and asking for sweeps after work that
adds rows the chain covers (server/evidence/sweep.py)."""
from server.evidence import sweep

# Events whose processed batches ask for a sweep of their evaluations.
CHAINED_EVENTS = frozenset({"submission.received"})


def sweep_chain(event):
    evaluation_id = event.evaluation_id or event.payload["evaluation_id"]
    if sweep.sweep(evaluation_id) >= sweep.SWEEP_LIMIT:
        sweep.continue_later(evaluation_id)


def after_batch(events):
    """Called by the drain with the events it just ran: one sweep request per evaluation that received
    submissions (an outbox row in the batch's transaction, so it is asked for exactly when they commit)."""
    sweep.request({event.evaluation_id for event in events
                   if event.name in CHAINED_EVENTS and event.evaluation_id is not None})

"""Writing a worker batch's check outcomes at once: new runs with their findings, the runs they replace
made non-current, the interview facts, and the re-checks of other interviews of the same household."""
from sqlalchemy import update

from server.infra import batch_writes
from server.pipeline import outbox
from server.infra.extensions import db
from server.models import CheckRun, InterviewFact, RuleFinding


class CheckWrites:
    """What the checked events of one batch leave to write, in the order they were checked."""

    def __init__(self):
        self.runs, self.replaced, self.facts, self.rechecks = [], [], {}, []

    def keep(self, checked, previous, evaluation_id):
        """Record an event's Checked; `previous` is the run that was current before it."""
        self.facts[checked.fact.submission_id] = checked.fact
        if checked.new:
            if previous is not None:
                self._replace(previous)
            self.runs.append(checked.run)
        self.rechecks += [(evaluation_id, other) for other in checked.rechecks]

    def _replace(self, previous):
        if previous.id is not None:
            self.replaced.append(previous.id)
            return
        # Made earlier in this batch: it goes in as history, not current.
        previous.row["current"] = False
        for finding in previous.findings:
            finding["current"] = False

    def write(self):
        if self.replaced:
            db.session.execute(update(CheckRun).where(CheckRun.id.in_(self.replaced))
                               .values(current=False), execution_options={"synchronize_session": False})
            db.session.execute(update(RuleFinding).where(RuleFinding.check_run_id.in_(self.replaced))
                               .values(current=False), execution_options={"synchronize_session": False})
        ids = batch_writes.insert_returning_ids(CheckRun.__table__, [run.row for run in self.runs])
        for run, run_id in zip(self.runs, ids):
            run.id = run_id
        batch_writes.insert(RuleFinding.__table__, [{**finding, "check_run_id": run.id}
                                                    for run in self.runs for finding in run.findings])
        batch_writes.upsert(InterviewFact.__table__, [fact.row() for fact in self.facts.values()],
                            keys=("submission_id",))
        for evaluation_id, (other, code) in self.rechecks:
            outbox.emit("submission.recheck", {"submission_id": other, "reason": code}, evaluation_id)

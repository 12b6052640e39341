"""Submission events, a batch at a time: read once, compute each event in memory, write once.

The batch reads what its submissions need in a few queries (server/recusal/loader.py); each event's
steps then compute its results on a `Work` (nothing is written, so an event that fails leaves no
trace); the batch keeps the results of each event whose steps all succeeded, so later events of the
batch see them (a re-check after the first check, a second interview of the same household); and
`write` sends everything out in a few executemany statements.
"""
from dataclasses import replace

from sqlalchemy import Boolean, Integer, case, literal, null

from server.feed import webhooks
from server.infra import batch_writes
from server.infra.extensions import db
from server.models import Submission
from server.models.types import utcnow
from server.submissions import feed_marks
from server.reconciliation.service import Known
from server.reconciliation.store import ReconcileWrites
from server.recusal.loader import ENCRYPTED, Batch
from server.recusal.store import CheckWrites
from server.submissions import sealed


RECEIVED = "submission.received"


class Work:
    """One event's results, filled in by its steps."""

    def __init__(self, event, batch):
        self.event, self.batch = event, batch
        row = batch.cases.submissions.get(event.payload.get("submission_id"))
        self.before = row  # the submission as the earlier events of the batch left it
        self.submission = replace(row) if row is not None else None  # the steps change this copy
        self.checked = self.reconciled = None
        self.completed = False


class SubmissionBatch:
    """The claimed submission events of one worker batch (worker/events.py BATCHES)."""

    def __init__(self, events):
        self.events = events
        self.cases = Batch({e.payload.get("submission_id") for e in events} - {None})
        self.known = Known(self.cases)
        self.checks, self.reconciliations = CheckWrites(), ReconcileWrites()
        self.kept, self.completed = {}, {}  # submission id -> its row; how many of its events completed

    def run(self, steps_for):
        """Run each event's steps; returns [(event, exception)] of the events that failed."""
        failed = []
        for event in self.events:
            work = Work(event, self)
            if self._already_done(work):
                continue  # acknowledged (marked done) without running its steps again
            try:
                for step in steps_for(event.name):
                    step(work)
            except Exception as exc:
                failed.append((event, exc))
                continue
            self._keep(work)
        return failed

    def _already_done(self, work):
        """A `submission.received` event whose submission was processed from exactly what it would
        read now (a duplicate, or a redelivery of an event already done). A re-check always runs."""
        submission = work.submission
        return (work.event.name == RECEIVED and submission is not None
                and submission.processed_inputs_sha256 is not None
                and submission.processed_inputs_sha256 == self.received_inputs(work))

    def received_inputs(self, work):
        return self.cases.inputs_sha256(work.submission, work.event.payload.get("complete", True))

    def _keep(self, work):
        submission = work.submission
        if submission is None:
            return
        self.cases.keep_submission(submission)
        self.kept[submission.id] = submission
        if work.checked is not None:
            previous = self.cases.runs.get(submission.id)
            self.cases.keep_check(work.checked.fact, work.checked.run)
            self.checks.keep(work.checked, previous, submission.evaluation_id)
        if work.reconciled is not None:
            self.known.keep(work.reconciled)
            self.reconciliations.keep(work.reconciled, submission.evaluation_id)
        if work.completed:
            self.completed[submission.id] = self.completed.get(submission.id, 0) + 1

    def write(self):
        self.checks.write()
        self.reconciliations.write()
        table, runs = Submission.__table__, batch_writes.bound("runs", Integer)
        rows = [{"id": s.id, "answers": sealed.at_rest(s.encrypted, s.answers),
                 "opened": not s.encrypted or s.answers != ENCRYPTED, "review_status": s.review_status,
                 "finding_count": s.finding_count, "interview_day": s.interview_day,
                 "county_code": s.county_code, "township_code": s.township_code,
                 "village_code": s.village_code,
                 "processed_inputs_sha256": s.processed_inputs_sha256,
                 "runs": self.completed.get(s.id, 0)} for s in self.kept.values()]
        now = literal(utcnow(), table.c.processed_at.type)
        # An interview still sealed here keeps what is stored: a decryption run may have opened it since
        # this batch read it, and its re-check follows.
        opened = batch_writes.bound("opened", Boolean)
        answers = case((opened, batch_writes.bound("answers", table.c.answers.type)), else_=table.c.answers)
        batch_writes.update_by_id(table, rows, answers=answers, pipeline_runs=table.c.pipeline_runs + runs,
                                  processing=case((runs > 0, "processed"), else_=table.c.processing),
                                  processed_at=case((runs > 0, now), else_=table.c.processed_at),
                                  processing_problem=case((runs > 0, null()),
                                                          else_=table.c.processing_problem),
                                  feed_mark=feed_marks.mark())
        db.session.flush()  # the few ORM changes too (re-check events, back-check targets), in the savepoint
        self._tell_subscribers()

    def _tell_subscribers(self):
        """Webhook deliveries of the interviews checked, snapshotted now, in this transaction."""
        checked = {}
        for submission in self.kept.values():
            if self.completed.get(submission.id):
                checked.setdefault(submission.evaluation_id, []).append(submission.id)
        for evaluation_id, ids in checked.items():
            webhooks.emit(evaluation_id, "interview.checked", ids)

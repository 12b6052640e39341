"""Writing a worker batch's reconciliations at once: the reconciliation rows, the interviews' contributions
(the last one of each interview), the village aggregates (one upsert per village) and back-check
comparisons."""
from server.infra import batch_writes
from server.backchecks.service import keep_comparison
from server.figures import maintain
from server.models import FigureContribution, Reconciliation
from server.models.types import utcnow


class ReconcileWrites:
    """What the reconciled events of one batch leave to write."""

    def __init__(self):
        self.rows, self.contributions, self.backchecks = {}, {}, []
        self.deltas = maintain.Deltas()

    def keep(self, reconciled, evaluation_id):
        if reconciled.row is not None:
            self.rows[reconciled.row["submission_id"]] = reconciled.row
        for row in (reconciled.contribution, *reconciled.others):
            if row is not None:
                self.contributions[(row["evaluation_id"], row["root_instance_id"])] = row
        for area, change in reconciled.moves:
            self.deltas.add(evaluation_id, area, change)
        if reconciled.backcheck is not None:
            self.backchecks.append(reconciled.backcheck)

    def write(self):
        now = utcnow()
        rows = [{**row, "reconciled_at": now} for row in self.rows.values()]
        batch_writes.upsert(Reconciliation.__table__, rows, keys=("submission_id",), keep=("reconciled_at",))
        new = [row for row in self.contributions.values() if row["id"] is None]
        known = [row for row in self.contributions.values() if row["id"] is not None]
        # Plain inserts, not upserts: an interview that another worker counted meanwhile fails this
        # write (and the event is retried with the other's row), never counts twice.
        batch_writes.insert(FigureContribution.__table__, [_without_id(row, updated_at=now) for row in new])
        batch_writes.update_by_id(FigureContribution.__table__, [{**row, "updated_at": now} for row in known])
        self.deltas.write()
        for found in self.backchecks:
            keep_comparison(*found)  # ORM rows, flushed with the batch


def _without_id(row, **extra):
    return {**{k: v for k, v in row.items() if k != "id"}, **extra}

"""An interview's history: every version Collect sent (edits), what changed between them, and what
people did with it (the audit entries about it: decisions, comments, re-visit requests)."""
from sqlalchemy import select

from server.infra.extensions import db
from server.models import AuditEntry, Submission
from server.submissions import sealed


def versions(submission):
    """[{instance_id, received_at, current, changed: [keys]}] oldest first, each against the one before."""
    rows = db.session.execute(select(Submission).where(
        Submission.evaluation_id == submission.evaluation_id,
        Submission.root_instance_id == submission.root_instance_id).order_by(Submission.id)).scalars().all()
    out, before = [], None
    for row in rows:
        data = (sealed.opened(row.answers) or {}).get("data") or {}
        changed = sorted(k for k in set(data) | set(before or {}) if (before or {}).get(k) != data.get(k))
        out.append({"instance_id": row.instance_id, "received_at": row.received_at, "current": row.current,
                    "changed": changed if before is not None else []})
        before = data
    return out


def activity(submission):
    """Audit entries about the interview (any of its versions), oldest first."""
    targets = [f"submission:{i}" for i in db.session.execute(select(Submission.instance_id).where(
        Submission.evaluation_id == submission.evaluation_id,
        Submission.root_instance_id == submission.root_instance_id)).scalars()]
    return db.session.execute(select(AuditEntry).where(AuditEntry.target.in_(targets),
                                                       AuditEntry.evaluation_id == submission.evaluation_id)
                              .order_by(AuditEntry.id)).scalars().all()

"""A decryption run: the private key of an encrypted form opens the evaluation's encrypted interviews that
wait unchecked, so they are checked and counted like any other (issue 16).

The key is the caller's, for this run only: it stays in this process's memory, never in the database,
Redis, a job or a log. Each interview it opens is parsed into its answers document, kept sealed at rest
(submissions/sealed.py), and queued for a re-check (rules, reconciliation, figures). What it cannot open
stays "encrypted, not checked": parts Collect has not sent yet, a damaged part (reported), or another
form's key (counted apart). Runs go by submission id, `limit` at a time, so no call holds a request long;
`next_cursor` continues.

    result = run(evaluation, key, actor, form_id=None, after=0, limit=PAGE)   # caller commits
"""
from dataclasses import dataclass, field

from sqlalchemy import select, update

from server.accounts import audit
from server.infra.errors import Problem
from server.infra.extensions import db
from server.models import Form, FormVersion, Submission
from server.pipeline import outbox
from server.submissions import decryption, sealed
from server.submissions.answers import parse_answers

PAGE, PAGE_MAX = 100, 1000
RECHECK = "submission.recheck"


@dataclass
class Result:
    decrypted: int = 0
    not_opened: int = 0  # another form's key: this key does not open them
    failed: list = field(default_factory=list)  # [{instance_id, code, message}]
    queued: int = 0
    next_cursor: int | None = None


def waiting(evaluation_id, form_id=None, after=0, limit=None):
    """Encrypted interviews not checked yet (no status; what the list shows as encrypted_not_checked), by
    id from `after`: [(id, instance_id, form_version_id, answers)]."""
    query = (select(Submission.id, Submission.instance_id, Submission.form_version_id, Submission.answers)
             .where(Submission.evaluation_id == evaluation_id, Submission.encrypted.is_(True),
                    Submission.review_status.is_(None), Submission.id > after).order_by(Submission.id))
    if form_id:
        query = query.join(FormVersion, FormVersion.id == Submission.form_version_id).join(
            Form, Form.id == FormVersion.form_id).where(Form.xml_form_id == form_id)
    if limit:
        query = query.limit(limit)
    return db.session.execute(query).all()


def run(evaluation, key, actor, form_id=None, after=0, limit=PAGE):
    """Open up to `limit` waiting interviews of `evaluation` (of form `form_id`, else all) with `key`
    (a decryption.PrivateKey) and queue their re-checks; the caller commits. Returns a Result."""
    result = Result()
    rows = waiting(evaluation.id, form_id, after, limit + 1)
    if len(rows) > limit:
        rows = rows[:limit]
        result.next_cursor = rows[-1].id
    fields = {}
    for row in rows:
        if sealed.is_sealed(row.answers):
            continue  # opened by an earlier run, its re-check still to come
        try:
            document = _open(row, key, fields)
        except Problem as problem:
            if problem.code == "decryption.wrong_key":
                result.not_opened += 1
            else:
                result.failed.append({"instance_id": row.instance_id, "code": problem.code,
                                      "message": problem.message})
            continue
        db.session.execute(update(Submission).where(Submission.id == row.id)
                           .values(answers=sealed.seal(document)))
        outbox.emit(RECHECK, {"submission_id": row.id, "reason": "decrypted"}, evaluation.id)
        result.decrypted += 1
        result.queued += 1
    audit.record(actor, "submissions.decrypt", f"evaluation:{evaluation.id}",
                 {"form": form_id, "decrypted": result.decrypted, "not_opened": result.not_opened,
                  "failed": [f["instance_id"] for f in result.failed][:100]}, evaluation.id)
    return result


def _open(row, key, fields):
    """The answers document of one encrypted interview (its photos present under their own names)."""
    plain = decryption.decrypt_submission(_envelope(row.id), decryption.stored_parts(row.id), key)
    if row.form_version_id not in fields:
        fields[row.form_version_id] = db.session.get(FormVersion, row.form_version_id).fields
    return parse_answers(plain.xml, fields[row.form_version_id], plain.media.keys())


def _envelope(submission_id):
    return db.session.execute(select(Submission.xml).where(Submission.id == submission_id)).scalar()

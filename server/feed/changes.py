"""One page of the archive feed: the interviews changed after a cursor, each as the archive receives it.

A page is read with a handful of bulk selects (never one query per interview), so a reader catching up
on a whole evaluation is limited by the network, not by the queries. JSON documents (answers, evidence,
comparisons) are passed through as the database holds them (orjson fragments), never decoded and encoded
again: on a page of a thousand interviews that round trip was most of the time.
"""
from collections import defaultdict
from dataclasses import dataclass

import orjson
from sqlalchemy import Text, and_, cast, or_, select

from server.feed import cursor as feed_cursor
from server.infra.bulk_reads import among
from server.infra.extensions import db
from server.models import (Attachment, CheckRun, ClassificationReview, Enumerator, Form, FormVersion,
                           Household, Reconciliation, ReviewDecision, RuleFinding, Submission)
from server.submissions import feed_marks, sealed

PAGE_DEFAULT, PAGE_MAX = 200, 1000
# A comparison's verdict (server/reconciliation/match.py), named here, not imported: the feed sits below
# the checks that call it (a test keeps the two equal).
DIFFERS = "differs"


@dataclass
class Page:
    items: list
    next_cursor: str
    has_more: bool


def changes(evaluation, after=None, limit=PAGE_DEFAULT):
    """The page of `evaluation`'s interviews changed after cursor `after` (None: from the start).
    Raises Problem feed.bad_cursor (400)."""
    mark, last_id = feed_cursor.decode(evaluation.id, after)
    rows = _changed(evaluation.id, mark, last_id, feed_marks.horizon(), limit + 1)
    more, rows = len(rows) > limit, rows[:limit]
    if rows:
        after = feed_cursor.encode(evaluation.id, rows[-1].feed_mark, rows[-1].id)
    elif not after:
        after = feed_cursor.encode(evaluation.id, *feed_cursor.START)
    return Page(_items(rows), after, more)


def interviews(evaluation_id, submission_ids):
    """The feed's item of each of the evaluation's submissions `submission_ids`, in id order (the
    household file holds them as the archive receives them from the feed)."""
    query = _columns().where(Submission.evaluation_id == evaluation_id, Submission.id.in_(submission_ids))
    return _items(db.session.execute(query.order_by(Submission.id)).all())


def _changed(evaluation_id, mark, last_id, horizon, limit):
    s = Submission
    query = _columns().where(s.evaluation_id == evaluation_id, s.feed_mark.is_not(None),
                             or_(s.feed_mark > mark, and_(s.feed_mark == mark, s.id > last_id)))
    if horizon is not None:
        query = query.where(s.feed_mark < horizon)
    return db.session.execute(query.order_by(s.feed_mark, s.id).limit(limit)).all()


def _columns():
    s = Submission
    return (select(s.id, s.feed_mark, s.instance_id, s.root_instance_id, s.deprecated_id, s.current,
                   s.xml_sha256, s.encrypted, s.received_at, s.processed_at, s.processing, s.review_status,
                   _raw(s.answers), Enumerator.username.label("enumerator"),
                   Form.xml_form_id.label("form_id"), FormVersion.version.label("form_version"))
            .join(FormVersion, FormVersion.id == s.form_version_id)
            .join(Form, Form.id == FormVersion.form_id)
            .outerjoin(Enumerator, Enumerator.id == s.enumerator_id))


def _items(rows):
    ids = [r.id for r in rows]
    if not ids:
        return []
    f, d, v, a, r = RuleFinding, ReviewDecision, ClassificationReview, Attachment, Reconciliation
    findings = _grouped(select(f.submission_id, f.code, f.rule_version, f.severity, f.outcome, f.message_zh,
                               f.message_en, f.reason, _raw(f.evidence))
                        .where(among(f.submission_id, ids), f.current.is_(True)).order_by(f.id))
    decisions = _grouped(select(d.submission_id, d.decision, d.reason, _raw(d.codes), d.actor, d.decided_at)
                         .where(among(d.submission_id, ids)).order_by(d.id))
    verdicts = _grouped(select(v.submission_id, v.flag, v.decision, v.reason, v.actor, v.decided_at)
                        .where(among(v.submission_id, ids)).order_by(v.id))
    files = _grouped(select(a.submission_id, a.name, a.content_type, a.size, a.sha256)
                     .where(among(a.submission_id, ids)).order_by(a.submission_id, a.name))
    reconciled = {row.submission_id: row for row in db.session.execute(
        select(r.submission_id, r.household_type, _raw(r.comparisons), _raw(r.classification))
        .where(among(r.submission_id, ids)))}
    households = _households(ids)
    return [_item(row, households.get(row.id), findings[row.id], reconciled.get(row.id), decisions[row.id],
                  verdicts[row.id], files[row.id]) for row in rows]


def _households(ids):
    query = (select(CheckRun.submission_id, Household.archive_id, Household.village_code)
             .join(Household, Household.id == CheckRun.household_id)
             .where(among(CheckRun.submission_id, ids), CheckRun.current.is_(True)))
    return {r.submission_id: r for r in db.session.execute(query)}


def _raw(column):
    """The column's JSON as the database holds it (text), labelled with the column's name."""
    return cast(column, Text).label(column.key)


def _answers(row):
    """As stored, passed through; an encrypted interview a decryption run opened is opened for the feed."""
    if row.encrypted and row.answers:
        return sealed.opened(orjson.loads(row.answers))
    return _json(row.answers)


def _json(text):
    return None if text is None else orjson.Fragment(text)


def _grouped(query):
    """{submission_id: [rows]} of a Core select whose first column is the submission id (plain rows, not
    ORM objects: a page holds thousands and needs no identity map)."""
    grouped = defaultdict(list)
    for row in db.session.execute(query):
        grouped[row.submission_id].append(row)
    return grouped


def _item(row, household, findings, reconciliation, decisions, verdicts, files):
    return {
        "instance_id": row.instance_id, "root_instance_id": row.root_instance_id,
        "deprecated_id": row.deprecated_id, "current": row.current, "form_id": row.form_id,
        "form_version": row.form_version, "enumerator": row.enumerator,
        "household": household.archive_id if household else None,
        "village_code": household.village_code if household else None,
        "received_at": row.received_at, "processed_at": row.processed_at, "processing": row.processing,
        "status": row.review_status, "encrypted": row.encrypted, "xml_sha256": row.xml_sha256,
        "answers": _answers(row),
        "findings": [_finding(f) for f in findings],
        "reconciliation": _reconciliation(reconciliation),
        "decisions": [{"decision": d.decision, "reason": d.reason, "codes": _json(d.codes), "actor": d.actor,
                       "decided_at": d.decided_at} for d in decisions],
        "classification_reviews": [{"flag": v.flag, "decision": v.decision, "reason": v.reason,
                                    "actor": v.actor, "decided_at": v.decided_at} for v in verdicts],
        "attachments": [{"name": a.name, "content_type": a.content_type, "size": a.size, "sha256": a.sha256}
                        for a in files],
    }


def _finding(f):
    return {"code": f.code, "rule_version": f.rule_version, "severity": f.severity, "outcome": f.outcome,
            "message": {"zh": f.message_zh, "en": f.message_en}, "reason": f.reason,
            "evidence": _json(f.evidence)}


def _reconciliation(row):
    if row is None:
        return None
    comparisons = orjson.loads(row.comparisons or "[]")  # the one document the feed reads: to pick
    return {"household_type": row.household_type,     # out the discrepancies
            "discrepancies": [c for c in comparisons if c.get("verdict") == DIFFERS],
            "comparisons": _json(row.comparisons), "classification": _json(row.classification)}

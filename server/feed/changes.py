"""One page of the archive feed: the interviews changed after a cursor, each as the archive receives it.

A page is read with a handful of bulk selects (never one query per interview), so a reader catching up
on a whole evaluation is limited by the network, not by the queries. JSON documents (answers, evidence,
comparisons) are passed through as the database holds them (orjson fragments), never decoded and encoded
again: on a page of a thousand interviews that round trip was most of the time.
"""
from collections import defaultdict
from dataclasses import dataclass

import orjson
from sqlalchemy import Text, cast, select, tuple_

from server.feed import cursor as feed_cursor
from server.infra import gcpause
from server.infra.bulk_reads import among, plain_rows
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
    with gcpause.paused():  # a page is thousands of small dicts and lists, none in a cycle
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
    return _items(plain_rows(query.order_by(Submission.id)))


def _changed(evaluation_id, mark, last_id, horizon, limit):
    s = Submission
    # A row comparison, not feed_mark > m OR (feed_mark = m AND id > i): the index range starts at the
    # cursor instead of every page scanning the marks before it.
    query = _columns().where(s.evaluation_id == evaluation_id, s.feed_mark.is_not(None),
                             tuple_(s.feed_mark, s.id) > tuple_(mark, last_id))
    if horizon is not None:
        query = query.where(s.feed_mark < horizon)
    return plain_rows(query.order_by(s.feed_mark, s.id).limit(limit))


def _columns():
    """The page's rows: each interview with its form, enumerator, reconciliation (one per submission, by
    its key) and the household its current check run matched, all in one select."""
    s, r = Submission, Reconciliation
    return (select(s.id, s.feed_mark, s.instance_id, s.root_instance_id, s.deprecated_id, s.current,
                   s.xml_sha256, s.encrypted, s.received_at, s.processed_at, s.processing, s.review_status,
                   _raw(s.answers), Enumerator.username.label("enumerator"),
                   Form.xml_form_id.label("form_id"), FormVersion.version.label("form_version"),
                   Household.archive_id, Household.village_code, r.submission_id.label("reconciled"),
                   r.household_type, _raw(r.comparisons), _raw(r.classification))
            .join(FormVersion, FormVersion.id == s.form_version_id)
            .join(Form, Form.id == FormVersion.form_id)
            .outerjoin(Enumerator, Enumerator.id == s.enumerator_id)
            .outerjoin(Household, Household.id == _checked_household())
            .outerjoin(r, r.submission_id == s.id))


def _checked_household():
    """The household the interview's current check run matched: a subquery per row, answered from an
    index (a join with the runs could repeat an interview)."""
    return (select(CheckRun.household_id)
            .where(CheckRun.submission_id == Submission.id, CheckRun.current.is_(True))
            .order_by(CheckRun.id.desc()).limit(1).scalar_subquery())


def _items(rows):
    ids = [r.id for r in rows]
    if not ids:
        return []
    f, d, v, a = RuleFinding, ReviewDecision, ClassificationReview, Attachment
    findings = _grouped(select(f.submission_id, f.code, f.rule_version, f.severity, f.outcome, f.message_zh,
                               f.message_en, f.reason, _raw(f.evidence))
                        .where(among(f.submission_id, ids), f.current.is_(True)).order_by(f.id))
    decisions = _grouped(select(d.submission_id, d.decision, d.reason, _raw(d.codes), d.actor, d.decided_at)
                         .where(among(d.submission_id, ids)).order_by(d.id))
    verdicts = _grouped(select(v.submission_id, v.flag, v.decision, v.reason, v.actor, v.decided_at)
                        .where(among(v.submission_id, ids)).order_by(v.id))
    files = _grouped(select(a.submission_id, a.name, a.content_type, a.size, a.sha256)
                     .where(among(a.submission_id, ids)).order_by(a.submission_id, a.name))
    return [_item(row, findings[row.id], decisions[row.id], verdicts[row.id], files[row.id]) for row in rows]


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
    ORM objects nor SQLAlchemy's Rows: a page holds thousands and needs no identity map)."""
    grouped = defaultdict(list)
    for row in plain_rows(query):
        grouped[row.submission_id].append(row)
    return grouped


def _item(row, findings, decisions, verdicts, files):
    return {
        "instance_id": row.instance_id, "root_instance_id": row.root_instance_id,
        "deprecated_id": row.deprecated_id, "current": row.current, "form_id": row.form_id,
        "form_version": row.form_version, "enumerator": row.enumerator,
        "household": row.archive_id, "village_code": row.village_code,
        "received_at": row.received_at, "processed_at": row.processed_at, "processing": row.processing,
        "status": row.review_status, "encrypted": row.encrypted, "xml_sha256": row.xml_sha256,
        "answers": _answers(row),
        "findings": [_finding(f) for f in findings],
        "reconciliation": _reconciliation(row),
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
    if row.reconciled is None:
        return None
    comparisons = orjson.loads(row.comparisons or "[]")  # the one document the feed reads: to pick
    return {"household_type": row.household_type,     # out the discrepancies
            "discrepancies": [c for c in comparisons if c.get("verdict") == DIFFERS],
            "comparisons": _json(row.comparisons), "classification": _json(row.classification)}

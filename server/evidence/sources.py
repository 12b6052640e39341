"""The rows a chain covers, read in bulk by id with Core selects (a sweep or a verification reads
thousands at a time): per kind, each row's canonical content, actor and time, and for a submission its
attachment files and whether its stored XML still hashes to the sha256 recorded at ingest."""
import hashlib
from dataclasses import dataclass, field

from sqlalchemy import and_, exists, select

from server.evidence import canonical
from server.infra.bulk_reads import among
from server.infra.extensions import db
from server.models import Attachment, ChainEntry, ClassificationReview, ReviewDecision, Submission

TABLES = {"submission": Submission, "review": ReviewDecision, "classification": ClassificationReview}
LOOKBACK = 5000  # ids below a kind's newest chained id still looked at: rows committed out of id order


@dataclass
class Source:
    kind: str
    id: int
    at: object
    actor: str
    covers: dict
    files: list = field(default_factory=list)   # [(name, path, sha256 recorded)]
    xml_intact: bool = True                       # the stored XML hashes to the sha256 recorded at ingest


def unchained_ids(evaluation_id, kind, limit, everything=False):
    """Ids of the evaluation's rows of `kind` that no entry covers yet, oldest first."""
    model = TABLES[kind]
    covered = exists().where(and_(ChainEntry.evaluation_id == evaluation_id, ChainEntry.kind == kind,
                                  ChainEntry.source_id == model.id))
    query = select(model.id).where(model.evaluation_id == evaluation_id, ~covered)
    if not everything:
        newest = newest_chained(evaluation_id, kind)
        if newest is not None:
            query = query.where(model.id > newest - LOOKBACK)
    return list(db.session.execute(query.order_by(model.id).limit(limit)).scalars())


def newest_chained(evaluation_id, kind):
    return db.session.execute(select(ChainEntry.source_id).where(
        ChainEntry.evaluation_id == evaluation_id, ChainEntry.kind == kind)
        .order_by(ChainEntry.source_id.desc()).limit(1)).scalar()


def has_newer(evaluation_id, kind):
    """Whether the evaluation has a row of `kind` newer than its newest chained one (cheap: a range
    scan of the primary key from there)."""
    model, newest = TABLES[kind], newest_chained(evaluation_id, kind)
    query = select(model.id).where(model.evaluation_id == evaluation_id)
    if newest is not None:
        query = query.where(model.id > newest)
    return db.session.execute(query.limit(1)).first() is not None


def load(kind, ids, check_xml=False):
    """{id: Source} of the rows of `kind` that still exist. `check_xml` re-hashes each submission's XML."""
    if not ids:
        return {}
    return {"submission": _submissions, "review": _reviews, "classification": _classifications}[kind](
        ids, check_xml)


def _submissions(ids, check_xml):
    columns = [Submission.id, Submission.instance_id, Submission.root_instance_id, Submission.deprecated_id,
               Submission.form_version_id, Submission.enumerator_id, Submission.received_at,
               Submission.xml_sha256]
    if check_xml:
        columns.append(Submission.xml)
    rows = db.session.execute(select(*columns).where(among(Submission.id, ids))).all()
    files = {}
    for sid, name, sha256, size, path in db.session.execute(
            select(Attachment.submission_id, Attachment.name, Attachment.sha256, Attachment.size,
                   Attachment.path).where(among(Attachment.submission_id, ids))):
        files.setdefault(sid, []).append((name, sha256, size, path))
    found = {}
    for row in rows:
        attached = files.get(row.id, [])
        covers = canonical.submission_covers(row, [(n, s, z) for n, s, z, _ in attached])
        intact = not check_xml or hashlib.sha256(row.xml.encode("utf-8")).hexdigest() == row.xml_sha256
        found[row.id] = Source("submission", row.id, row.received_at, canonical.submission_actor(row), covers,
                               sorted((n, p, s) for n, s, _, p in attached), intact)
    return found


def _reviews(ids, _check_xml):
    rows = db.session.execute(select(ReviewDecision.id, ReviewDecision.submission_id,
                                     ReviewDecision.check_run_id, ReviewDecision.decision,
                                     ReviewDecision.reason, ReviewDecision.codes, ReviewDecision.actor,
                                     ReviewDecision.decided_at).where(among(ReviewDecision.id, ids))).all()
    return {row.id: Source("review", row.id, row.decided_at, row.actor, canonical.review_covers(row))
            for row in rows}


def _classifications(ids, _check_xml):
    rows = db.session.execute(select(ClassificationReview.id, ClassificationReview.submission_id,
                                     ClassificationReview.flag, ClassificationReview.decision,
                                     ClassificationReview.reason, ClassificationReview.actor,
                                     ClassificationReview.decided_at)
                              .where(among(ClassificationReview.id, ids))).all()
    return {row.id: Source("classification", row.id, row.decided_at, row.actor,
                           canonical.classification_covers(row)) for row in rows}

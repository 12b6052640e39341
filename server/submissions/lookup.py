"""The few reads the submission request path makes, each one narrow query on an index.

The lookups before the insert are autocommit point reads, built once: no transaction is needed
to read, and a concurrent identical post is caught by the unique index at the insert.
"""
from sqlalchemy import and_, bindparam, select, update

from server.infra.database import read_first
from server.infra.extensions import db
from server.models import Attachment, Enumerator, Form, FormVersion, Submission, reaches
from server.submissions.refusals import coded

# The form's state and audience, the sender's team, the published version and any stored submission with
# this instanceID, in one read.
_TARGET = (
    select(Form.state, Form.audience, Enumerator.team, FormVersion.id.label("version_id"),
           Submission.id.label("submission_id"), Submission.xml_sha256)
    .select_from(Form)
    .outerjoin(Enumerator, Enumerator.id == bindparam("enumerator_id"))
    .outerjoin(FormVersion, and_(FormVersion.form_id == Form.id, FormVersion.version == bindparam("version"),
                                 FormVersion.published_at.is_not(None)))
    .outerjoin(Submission, and_(Submission.evaluation_id == Form.evaluation_id,
                                Submission.instance_id == bindparam("instance_id")))
    .where(Form.evaluation_id == bindparam("evaluation_id"), Form.xml_form_id == bindparam("xml_form_id")))
_BY_INSTANCE = (
    select(Submission.id, Submission.xml_sha256, Submission.root_instance_id, Submission.current)
    .where(Submission.evaluation_id == bindparam("evaluation_id"),
           Submission.instance_id == bindparam("instance_id")))


def target(evaluation_id, xml_form_id, version, instance_id, enumerator_id=None):
    """(version_id, stored) for a submission: the published version it belongs to, and the stored
    submission with its instanceID as (submission_id, xml_sha256), or None.

    Raises Problem form.not_found, form.not_in_audience (403: the form goes to other teams than the
    sender's), form.closed (409), form.version_not_found.
    """
    row = read_first(_TARGET, {"evaluation_id": evaluation_id, "xml_form_id": xml_form_id,
                               "version": version, "instance_id": instance_id,
                               "enumerator_id": enumerator_id})
    if row is None:
        raise coded("form.not_found", form_id=xml_form_id)
    if not reaches(row.audience, row.team):
        raise coded("form.not_in_audience", form_id=xml_form_id)
    if row.state == "closed":
        raise coded("form.closed", form_id=xml_form_id)
    if row.version_id is None:
        raise coded("form.version_not_found", form_id=xml_form_id, version=version)
    return row.version_id, (row if row.submission_id is not None else None)


def submission_by_instance(evaluation_id, instance_id):
    """(id, xml_sha256, root_instance_id, current) of a stored submission, or None."""
    return read_first(_BY_INSTANCE, {"evaluation_id": evaluation_id, "instance_id": instance_id})


def attachments_of(submission_id):
    """{name: Attachment} of a submission."""
    rows = db.session.execute(select(Attachment).where(Attachment.submission_id == submission_id))
    return {a.name: a for a in rows.scalars()}


def retire(submission_id):
    """Mark a submission as no longer current; False if an edit already did (a race lost)."""
    result = db.session.execute(update(Submission)
                                .where(Submission.id == submission_id, Submission.current.is_(True))
                                .values(current=False))
    return result.rowcount == 1

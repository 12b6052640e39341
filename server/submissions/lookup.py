"""The few reads the submission request path makes, each one narrow query on an index."""
from sqlalchemy import and_, select, update

from server.errors import Problem
from server.extensions import db
from server.models import Attachment, Form, FormVersion, Submission
from server.openrosa.messages import message, status_for


def coded(code, **params):
    """A Problem whose code is in the OpenRosa message catalogue; `params` fill its message."""
    return Problem(code, message(code, "en", **params), status=status_for(code), details=params)


def accepting_version(evaluation_id, xml_form_id, version):
    """The id of the published version this submission belongs to.

    Raises Problem form.not_found, form.closed (409), form.version_not_found.
    """
    row = db.session.execute(
        select(Form.state, FormVersion.id)
        .outerjoin(FormVersion, and_(FormVersion.form_id == Form.id, FormVersion.version == version,
                                     FormVersion.published_at.is_not(None)))
        .where(Form.evaluation_id == evaluation_id, Form.xml_form_id == xml_form_id)).first()
    if row is None:
        raise coded("form.not_found", form_id=xml_form_id)
    if row.state == "closed":
        raise coded("form.closed", form_id=xml_form_id)
    if row.id is None:
        raise coded("form.version_not_found", form_id=xml_form_id, version=version)
    return row.id


def submission_by_instance(evaluation_id, instance_id):
    """(id, xml_sha256, root_instance_id, current) of a stored submission, or None."""
    return db.session.execute(
        select(Submission.id, Submission.xml_sha256, Submission.root_instance_id, Submission.current)
        .where(Submission.evaluation_id == evaluation_id, Submission.instance_id == instance_id)).first()


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

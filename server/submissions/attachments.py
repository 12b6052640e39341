"""Finding a submission's attachment for a download, and its file in the media store.

Domain code shared by the API and the dashboard: both authorise the evaluation first, then ask here.
"""
import logging
import os

from sqlalchemy import select

from server.infra import media_store
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Attachment, Submission

log = logging.getLogger(__name__)


def find_attachment(evaluation, instance_id, name):
    """The attachment `name` of submission `instance_id` in `evaluation`.

    Raises Problem attachment.not_found (404) when the submission (in this evaluation) or the file
    name is unknown, so another evaluation's files are indistinguishable from missing ones.
    """
    row = db.session.execute(
        select(Attachment).join(Submission, Submission.id == Attachment.submission_id)
        .where(Submission.evaluation_id == evaluation.id, Submission.instance_id == instance_id,
               Attachment.name == name)).scalar()
    if row is None:
        raise Problem("attachment.not_found", msg("The interview %(instance_id)r has no file %(name)r.",
                                                  instance_id=instance_id, name=name), 404)
    return row


def stored_path(attachment):
    """The absolute path of the attachment's bytes. Raises Problem attachment.gone (410), logged:
    the row says the file was received, so its absence on disk is an operator's problem to see."""
    try:
        path = media_store.resolve(attachment.path)
    except ValueError:
        path = None
    if path is None or not os.path.isfile(path):
        log.error("attachment %s (%s of submission %s) is missing from the media store at %r",
                  attachment.id, attachment.name, attachment.submission_id, attachment.path)
        raise Problem("attachment.gone", msg("The file %(name)r was received but is no longer in the media "
                                             "store; the operator has been told (see the server log).",
                                             name=attachment.name), 410)
    return path

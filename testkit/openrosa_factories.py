"""Forms, enumerators and Collect instances for the OpenRosa tests, made through domain code.

Forms are pyxform markdown published with `forms_service.publish_form` (ODK Validate included),
so what Collect downloads in the tests is exactly what production would serve.
"""
import uuid

from server.accounts import users
from server.questionnaires import forms_service
from server.infra.extensions import db
from server.models import Attachment, Submission
from testkit.collect_wire import build_instance_xml
from testkit.factories import make_enumerator, make_evaluation

PASSWORD = "field-password-1"
MEDIA = {"logo.png": b"\x89PNG\r\n\x1a\n fake logo bytes", "villages.csv": "name,label\nv1,东营子村\n".encode()}

SURVEY = """| survey |
| | type | name | label | media::image |
| | text | household | 户编号 Household | logo.png |
| | image | photo | 照片 Photo | |
| | image | photo2 | 照片2 Photo 2 | |
| | select_one_from_file villages.csv | village | 村 Village | |
| settings |
| | form_id | version | form_title |
| | {form_id} | {version} | 入户调查 Household survey |
"""

PLAIN = """| survey |
| | type | name | label |
| | text | q1 | 问题 Question |
| settings |
| | form_id | version | form_title |
| | {form_id} | {version} | 简单 Plain |
"""

ENCRYPTED = """| survey |
| | type | name | label |
| | text | q1 | 问题 Question |
| | image | photo | 照片 Photo |
| settings |
| | form_id | version | public_key |
| | {form_id} | {version} | {public_key} |
"""


def publish(evaluation, text, form_id="household", version="1", media=None, state=None, **fmt):
    """Publish a markdown XLSForm; returns its FormVersion (state: set after publishing)."""
    source = text.format(form_id=form_id, version=version, **fmt).encode("utf-8")
    version_row = forms_service.publish_form(evaluation, source, f"{form_id}.md", media=media, actor="test")
    if state:
        forms_service.set_form_state(version_row.form, state, actor="test")
    db.session.commit()
    return version_row


def setup_evaluation(code="county1", language="zh"):
    """(evaluation, enumerator, token) with a password set for Digest too."""
    evaluation = make_evaluation(code, default_language=language)
    enumerator, token = make_enumerator(evaluation, password=PASSWORD)
    return evaluation, enumerator, token


def instance(form_id="household", version="1", instance_id=None, **kwargs):
    """(instance_id, xml bytes) for a Collect instance of the test survey."""
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    fields = kwargs.pop("fields", None) or {"household": "HH-1", "photo": "", "photo2": "", "village": "v1"}
    return instance_id, build_instance_xml(form_id, version, instance_id, fields, **kwargs)


def submissions():
    return db.session.query(Submission).order_by(Submission.id).all()


def attachment_names(submission_id):
    return sorted(a.name for a in db.session.query(Attachment).filter_by(submission_id=submission_id))


def deactivate(enumerator):
    enumerator.active = False
    db.session.commit()


def rotate(enumerator):
    token = users.rotate_token(enumerator, actor="test")
    db.session.commit()
    return token

"""The one-statement write (PostgreSQL) and the session write give the same rows, column by column."""
import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from server.infra.extensions import db
from server.models import Attachment, OutboxEvent, Submission
from server.submissions import store

_VARYING = {"id", "submission_id", "instance_id", "root_instance_id", "received_at", "created_at"}


def test_both_write_paths_give_the_same_rows(app, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's")
    files = [{"name": "房屋.jpg", "content_type": "image/jpeg", "size": 3, "sha256": "1" * 64,
              "path": "attachments/1/11/" + "1" * 64},
             {"name": "b.jpg", "content_type": "image/jpeg", "size": 5, "sha256": "2" * 64,
              "path": "attachments/1/22/" + "2" * 64}]
    one = store.add_new(_row(world, "uuid:one"), files, complete=False)
    other = store.add_new(_row(world, "uuid:other"), files, complete=False, in_session=True)
    db.session.commit()

    assert _columns(Submission, Submission.id == one) == _columns(Submission, Submission.id == other)
    assert (_columns(Attachment, Attachment.submission_id == one, many=True)
            == _columns(Attachment, Attachment.submission_id == other, many=True))
    events = {e.payload["submission_id"]: e for e in db.session.execute(select(OutboxEvent)).scalars()}
    assert events[one].payload == {"submission_id": one, "complete": False}
    assert (_columns(OutboxEvent, OutboxEvent.id == events[one].id, drop={"payload"})
            == _columns(OutboxEvent, OutboxEvent.id == events[other].id, drop={"payload"}))


def test_a_second_write_of_the_same_instance_fails_and_leaves_no_rows(app, world):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("the one-statement write is PostgreSQL's")
    store.add_new(_row(world, "uuid:same"), [], complete=True)
    with pytest.raises(IntegrityError):
        store.add_new(_row(world, "uuid:same"), [{"name": "x.jpg", "content_type": "image/jpeg", "size": 1,
                                                  "sha256": "3" * 64, "path": "p"}], complete=True)
    assert db.session.execute(select(Attachment)).first() is None
    assert len(db.session.execute(select(OutboxEvent)).all()) == 1


def _row(world, instance_id):
    return dict(evaluation_id=world.evaluation.id, form_version_id=world.version.id,
                enumerator_id=world.enumerator.id, instance_id=instance_id, root_instance_id=instance_id,
                deprecated_id=None, instance_name="户主 张三", xml="<data id='household'/>",
                xml_sha256="0" * 64, encrypted=False, device_id="collect:x", user_agent="Collect")


def _columns(model, where, many=False, drop=frozenset()):
    rows = db.session.execute(select(model.__table__).where(where)).mappings().all()
    values = [{k: v for k, v in r.items() if k not in _VARYING | set(drop)} for r in rows]
    values.sort(key=repr)
    return values if many else values[0]

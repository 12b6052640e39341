"""The audit log is append-only and hash-chained."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from server.accounts import audit
from server.infra.extensions import db
from server.models import AuditEntry


def test_entries_chain_and_verify(app):
    for n in range(3):
        audit.record("test", "thing.happen", f"thing:{n}", {"n": n, "名": "值"})
    db.session.commit()
    entries = db.session.query(AuditEntry).order_by(AuditEntry.id).all()
    assert entries[0].prev_hash == audit.GENESIS
    assert [e.prev_hash for e in entries[1:]] == [e.hash for e in entries[:-1]]
    assert audit.verify_chain() is None


def test_the_database_refuses_updates_and_deletes(app):
    audit.record("test", "thing.happen")
    db.session.commit()
    for statement in ("UPDATE audit_log SET action = 'forged'", "DELETE FROM audit_log"):
        with pytest.raises(DatabaseError, match="append-only"):
            db.session.execute(text(statement))
        db.session.rollback()
    assert db.session.query(AuditEntry).one().action == "thing.happen"


def test_the_orm_refuses_changes_too(app):
    entry = audit.record("test", "thing.happen")
    db.session.commit()
    entry.action = "forged"
    with pytest.raises(RuntimeError, match="append-only"):
        db.session.commit()
    db.session.rollback()


def test_verify_finds_a_tampered_entry(app):
    first = audit.record("test", "a")
    audit.record("test", "b")
    db.session.commit()
    # Simulate tampering done behind the database's back (triggers dropped, row edited).
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET LOCAL session_replication_role = replica"))
    else:
        db.session.execute(text("DROP TRIGGER audit_log_no_update"))
    db.session.execute(text("UPDATE audit_log SET target = 'forged' WHERE id = :id"), {"id": first.id})
    db.session.commit()
    db.session.expire_all()
    assert audit.verify_chain() == first.id

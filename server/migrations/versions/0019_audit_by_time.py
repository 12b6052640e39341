"""the audit log pages by (at, id): ordered by id alone, PostgreSQL walked the primary key through other
evaluations' newer entries, and a range of days was no range of an index

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-04

"""
from alembic import op

revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_evaluation_id_actor_id')
        batch_op.drop_index('ix_audit_log_evaluation_id_id')
        batch_op.create_index('ix_audit_log_evaluation_id_at_id', ['evaluation_id', 'at', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_evaluation_id_actor_at_id', ['evaluation_id', 'actor', 'at', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_evaluation_id_actor_at_id')
        batch_op.drop_index('ix_audit_log_evaluation_id_at_id')
        batch_op.create_index('ix_audit_log_evaluation_id_id', ['evaluation_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_evaluation_id_actor_id', ['evaluation_id', 'actor', 'id'],
                              unique=False)

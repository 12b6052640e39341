"""the audit log read newest first per evaluation, optionally of one actor (issue 18's audit page)

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

"""
from alembic import op

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_evaluation_id_id', ['evaluation_id', 'id'], unique=False)
        batch_op.create_index('ix_audit_log_evaluation_id_actor_id', ['evaluation_id', 'actor', 'id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_evaluation_id_actor_id')
        batch_op.drop_index('ix_audit_log_evaluation_id_id')

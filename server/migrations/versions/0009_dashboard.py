"""the dashboard: sign-in lockout on users, the interview table's keyset indexes, audit entries by target

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('failed_logins', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True))
    # Plain CREATE INDEX: a batch copy of audit_log on SQLite would drop its append-only triggers.
    op.create_index('ix_submission_received', 'submission', ['evaluation_id', 'current', 'received_at', 'id'])
    op.create_index('ix_submission_status', 'submission',
                    ['evaluation_id', 'current', 'review_status', 'received_at', 'id'])
    op.create_index('ix_audit_log_target', 'audit_log', ['target'])


def downgrade():
    op.drop_index('ix_audit_log_target', 'audit_log')
    op.drop_index('ix_submission_status', 'submission')
    op.drop_index('ix_submission_received', 'submission')
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('locked_until')
        batch_op.drop_column('failed_logins')

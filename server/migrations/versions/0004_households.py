"""households: encrypted ID numbers, sample outcomes, idempotency keys, change counter

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-28

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0004'
down_revision = '0001'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('import_key',
    sa.Column('id', BigId, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('request_sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.Integer(), nullable=False),
    sa.Column('response', Json, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('evaluation_id', 'key')
    )
    op.create_table('household_counter',
    sa.Column('evaluation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_seq', BigId, nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('evaluation_id')
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.add_column(sa.Column('id_numbers_encrypted', sa.Text(), nullable=True))
    with op.batch_alter_table('sample_unit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('outcome', sa.String(length=32), nullable=True))


def downgrade():
    with op.batch_alter_table('sample_unit', schema=None) as batch_op:
        batch_op.drop_column('outcome')
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.drop_column('id_numbers_encrypted')
    op.drop_table('household_counter')
    op.drop_table('import_key')

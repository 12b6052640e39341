"""the archive feed: each submission's mark in the feed's order (issue 21)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    with op.batch_alter_table('submission') as batch_op:
        batch_op.add_column(sa.Column('feed_mark', BIG_ID, nullable=True))
        batch_op.create_index('ix_submission_feed', ['evaluation_id', 'feed_mark', 'id'], unique=False)
    # Interviews checked before the feed existed enter it in id order (below every new mark).
    op.execute("UPDATE submission SET feed_mark = 0 WHERE processing = 'processed'")


def downgrade():
    with op.batch_alter_table('submission') as batch_op:
        batch_op.drop_index('ix_submission_feed')
        batch_op.drop_column('feed_mark')

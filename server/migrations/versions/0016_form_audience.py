"""who sees a form (all enumerators or chosen teams), and a version's warnings located in both languages
(issue 18)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.add_column('form', sa.Column('audience', JSON, nullable=True))
    op.add_column('form_version', sa.Column('warning_details', JSON, nullable=True))


def downgrade():
    op.drop_column('form_version', 'warning_details')
    op.drop_column('form', 'audience')

"""assignments found by sample unit and by village: a sample's coverage and its units' holders

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

"""
from alembic import op

revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_assignment_sample_unit', 'assignment', ['sample_unit_id'])
    op.create_index('ix_assignment_village', 'assignment', ['evaluation_id', 'village_code'])


def downgrade():
    op.drop_index('ix_assignment_village', 'assignment')
    op.drop_index('ix_assignment_sample_unit', 'assignment')

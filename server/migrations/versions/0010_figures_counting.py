"""figures: what is counted. Contributions know their status, household, visit time, duplicate link,
refusal and substitute; area aggregates count the fieldwork and the interviews left out by reason and
population; supervisors link interviews to households (household_link); enumerators have a phone

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa

import server.models.types

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
UTC = server.models.types.UTCDateTime(timezone=True)
# Same lists as server/models/counters.py at the time of this revision (a migration never imports it).
ROW_ONLY = ("refused", "substitute")
FIELDWORK = ("contacted", "substitutes")
LEFT_OUT = tuple(f"left_{reason}_{population}"
                 for reason in ("refused", "awaiting_review", "rejected", "duplicate")
                 for population in ("all", "registered", "nonregistered", "exited"))


def _counter(name):
    return sa.Column(name, sa.Integer(), server_default='0', nullable=False)


def upgrade():
    with op.batch_alter_table('figure_contribution', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.String(length=16), server_default='', nullable=False))
        batch_op.add_column(sa.Column('household_id', BigId, nullable=True))
        batch_op.add_column(sa.Column('started_at', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of', sa.String(length=200), nullable=True))
        for name in ROW_ONLY:
            batch_op.add_column(_counter(name))
        batch_op.create_foreign_key('figure_contribution_household_id_fkey', 'household', ['household_id'],
                                    ['id'], ondelete='SET NULL')
        batch_op.create_index('ix_figure_contribution_household', ['evaluation_id', 'household_id'],
                              unique=False)
    with op.batch_alter_table('figure_area', schema=None) as batch_op:
        for name in FIELDWORK + LEFT_OUT:
            batch_op.add_column(_counter(name))
    with op.batch_alter_table('enumerator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=32), nullable=True))
    op.create_table('household_link',
    sa.Column('id', BigId, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('root_instance_id', sa.String(length=200), nullable=False),
    sa.Column('household_id', BigId, nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('linked_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('evaluation_id', 'root_instance_id')
    )
    # Contributions made before this revision have no status: the worker's next pass fills it; until
    # then they keep counting as they did (counts) and are not anyone's duplicate.


def downgrade():
    op.drop_table('household_link')
    with op.batch_alter_table('enumerator', schema=None) as batch_op:
        batch_op.drop_column('phone')
    with op.batch_alter_table('figure_area', schema=None) as batch_op:
        for name in reversed(FIELDWORK + LEFT_OUT):
            batch_op.drop_column(name)
    with op.batch_alter_table('figure_contribution', schema=None) as batch_op:
        batch_op.drop_index('ix_figure_contribution_household')
        batch_op.drop_constraint('figure_contribution_household_id_fkey', type_='foreignkey')
        for name in reversed(ROW_ONLY):
            batch_op.drop_column(name)
        batch_op.drop_column('duplicate_of')
        batch_op.drop_column('started_at')
        batch_op.drop_column('household_id')
        batch_op.drop_column('status')

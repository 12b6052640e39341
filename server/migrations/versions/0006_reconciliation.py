"""reconciliation: results per submission, classification reviews, figure contributions and per-village
aggregates, back-check draws and targets

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

import server.models.types

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')
UTC = server.models.types.UTCDateTime(timezone=True)
# Same list as server/figures/counters.py at the time of this revision (a migration never imports it).
COUNTERS = (
    "interviews", "households", "persons", "registered_households", "registered_persons",
    "wrongly_registered_households", "wrongly_registered_persons", "nonregistered_households",
    "nonregistered_persons", "missed_households", "missed_persons", "exited_households", "exited_persons",
    "wrongly_exited_households", "wrongly_exited_persons", "endorsement_answered", "endorsed",
    "work_team_answered", "work_team_satisfied", "helper_answered", "helper_satisfied", "undetermined",
)


def _counters():
    return [sa.Column(name, sa.Integer(), server_default='0', nullable=False) for name in COUNTERS]


def upgrade():
    op.create_table('backcheck_draw',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('share', sa.Float(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('created_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_backcheck_draw_evaluation_id'), 'backcheck_draw', ['evaluation_id'], unique=False)
    op.create_table('figure_area',
    sa.Column('evaluation_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('county', sa.String(length=100), nullable=False),
    sa.Column('township', sa.String(length=100), nullable=False),
    sa.Column('village', sa.String(length=100), nullable=False),
    *_counters(),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('evaluation_id', 'village_code')
    )
    op.create_index('ix_figure_area_county', 'figure_area', ['evaluation_id', 'county_code', 'township_code'],
                    unique=False)
    op.create_table('backcheck_target',
    sa.Column('id', BigId, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('original_submission_id', BigId, nullable=False),
    sa.Column('original_root_id', sa.String(length=200), nullable=False),
    sa.Column('enumerator_id', sa.Integer(), nullable=False),
    sa.Column('household_id', BigId, nullable=False),
    sa.Column('backchecker_id', sa.Integer(), nullable=False),
    sa.Column('assignment_id', BigId, nullable=True),
    sa.Column('backcheck_submission_id', BigId, nullable=True),
    sa.Column('comparison', Json, nullable=True),
    sa.Column('compared_at', UTC, nullable=True),
    sa.ForeignKeyConstraint(['assignment_id'], ['assignment.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['backcheck_submission_id'], ['submission.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['backchecker_id'], ['enumerator.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['draw_id'], ['backcheck_draw.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['enumerator_id'], ['enumerator.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['original_submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('evaluation_id', 'original_root_id')
    )
    op.create_index('ix_backcheck_target_checker', 'backcheck_target', ['backchecker_id', 'household_id'],
                    unique=False)
    op.create_index(op.f('ix_backcheck_target_draw_id'), 'backcheck_target', ['draw_id'], unique=False)
    op.create_table('classification_review',
    sa.Column('id', BigId, nullable=False),
    sa.Column('submission_id', BigId, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('flag', sa.String(length=32), nullable=False),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('decided_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_classification_review_submission', 'classification_review', ['submission_id', 'flag'],
                    unique=False)
    op.create_table('figure_contribution',
    sa.Column('id', BigId, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('root_instance_id', sa.String(length=200), nullable=False),
    sa.Column('submission_id', BigId, nullable=False),
    sa.Column('county_code', sa.String(length=12), nullable=False),
    sa.Column('township_code', sa.String(length=12), nullable=False),
    sa.Column('village_code', sa.String(length=12), nullable=False),
    sa.Column('counts', sa.Boolean(), nullable=False),
    sa.Column('updated_at', UTC, nullable=False),
    *_counters(),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('evaluation_id', 'root_instance_id')
    )
    op.create_index('ix_figure_contribution_area', 'figure_contribution', ['evaluation_id', 'village_code', 'id'],
                    unique=False)
    op.create_index('ix_figure_contribution_county', 'figure_contribution', ['evaluation_id', 'county_code', 'id'],
                    unique=False)
    op.create_index(op.f('ix_figure_contribution_submission_id'), 'figure_contribution', ['submission_id'],
                    unique=False)
    op.create_table('reconciliation',
    sa.Column('submission_id', BigId, autoincrement=False, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('household_id', BigId, nullable=True),
    sa.Column('household_type', sa.String(length=16), nullable=True),
    sa.Column('comparisons', Json, nullable=False),
    sa.Column('classification', Json, nullable=False),
    sa.Column('settings_sha256', sa.String(length=64), nullable=False),
    sa.Column('reconciled_at', UTC, nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id')
    )
    op.create_index(op.f('ix_reconciliation_evaluation_id'), 'reconciliation', ['evaluation_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_reconciliation_evaluation_id'), table_name='reconciliation')
    op.drop_table('reconciliation')
    op.drop_index(op.f('ix_figure_contribution_submission_id'), table_name='figure_contribution')
    op.drop_index('ix_figure_contribution_county', table_name='figure_contribution')
    op.drop_index('ix_figure_contribution_area', table_name='figure_contribution')
    op.drop_table('figure_contribution')
    op.drop_index('ix_classification_review_submission', table_name='classification_review')
    op.drop_table('classification_review')
    op.drop_index(op.f('ix_backcheck_target_draw_id'), table_name='backcheck_target')
    op.drop_index('ix_backcheck_target_checker', table_name='backcheck_target')
    op.drop_table('backcheck_target')
    op.drop_index('ix_figure_area_county', table_name='figure_area')
    op.drop_table('figure_area')
    op.drop_index(op.f('ix_backcheck_draw_evaluation_id'), table_name='backcheck_draw')
    op.drop_table('backcheck_draw')

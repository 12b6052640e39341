"""recusal: check runs, rule findings, interview facts, review decisions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
Json = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade():
    op.create_table('check_run',
    sa.Column('id', BigId, nullable=False),
    sa.Column('submission_id', BigId, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('trigger', sa.String(length=64), nullable=False),
    sa.Column('inputs_sha256', sa.String(length=64), nullable=False),
    sa.Column('settings', Json, nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('household_id', BigId, nullable=True),
    sa.Column('run_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('check_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_check_run_evaluation_id'), ['evaluation_id'], unique=False)
        batch_op.create_index('ix_check_run_submission', ['submission_id', 'current'], unique=False)

    op.create_table('interview_fact',
    sa.Column('submission_id', BigId, autoincrement=False, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('enumerator_id', sa.Integer(), nullable=True),
    sa.Column('household_id', BigId, nullable=True),
    sa.Column('instance_id', sa.String(length=200), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('latitude', sa.Double(), nullable=True),
    sa.Column('longitude', sa.Double(), nullable=True),
    sa.Column('vector_sha256', sa.String(length=64), nullable=True),
    sa.Column('straight', sa.Boolean(), nullable=True),
    sa.ForeignKeyConstraint(['enumerator_id'], ['enumerator.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['household_id'], ['household.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id')
    )
    with op.batch_alter_table('interview_fact', schema=None) as batch_op:
        batch_op.create_index('ix_interview_fact_day', ['enumerator_id', 'day'], unique=False)
        batch_op.create_index('ix_interview_fact_household', ['evaluation_id', 'household_id'], unique=False)
        batch_op.create_index('ix_interview_fact_vector', ['evaluation_id', 'vector_sha256'], unique=False)

    op.create_table('review_decision',
    sa.Column('id', BigId, nullable=False),
    sa.Column('submission_id', BigId, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('check_run_id', BigId, nullable=True),
    sa.Column('decision', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('codes', Json, nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['check_run_id'], ['check_run.id'], ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_decision_submission_id'), ['submission_id'], unique=False)

    op.create_table('rule_finding',
    sa.Column('id', BigId, nullable=False),
    sa.Column('check_run_id', BigId, nullable=False),
    sa.Column('submission_id', BigId, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('current', sa.Boolean(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('rule_version', sa.Integer(), nullable=False),
    sa.Column('severity', sa.String(length=16), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('title_zh', sa.String(length=200), nullable=False),
    sa.Column('title_en', sa.String(length=200), nullable=False),
    sa.Column('message_zh', sa.Text(), nullable=False),
    sa.Column('message_en', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('evidence', Json, nullable=False),
    sa.Column('parameters', Json, nullable=False),
    sa.ForeignKeyConstraint(['check_run_id'], ['check_run.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('rule_finding', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rule_finding_check_run_id'), ['check_run_id'], unique=False)
        batch_op.create_index('ix_rule_finding_code', ['evaluation_id', 'code', 'outcome'], unique=False)
        batch_op.create_index(batch_op.f('ix_rule_finding_submission_id'), ['submission_id'], unique=False)



def downgrade():
    with op.batch_alter_table('rule_finding', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rule_finding_submission_id'))
        batch_op.drop_index('ix_rule_finding_code')
        batch_op.drop_index(batch_op.f('ix_rule_finding_check_run_id'))

    op.drop_table('rule_finding')
    with op.batch_alter_table('review_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_decision_submission_id'))

    op.drop_table('review_decision')
    with op.batch_alter_table('interview_fact', schema=None) as batch_op:
        batch_op.drop_index('ix_interview_fact_vector')
        batch_op.drop_index('ix_interview_fact_household')
        batch_op.drop_index('ix_interview_fact_day')

    op.drop_table('interview_fact')
    with op.batch_alter_table('check_run', schema=None) as batch_op:
        batch_op.drop_index('ix_check_run_submission')
        batch_op.drop_index(batch_op.f('ix_check_run_evaluation_id'))

    op.drop_table('check_run')

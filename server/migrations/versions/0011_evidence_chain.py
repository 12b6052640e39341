"""the evidence chain: hash-linked entries per evaluation over submissions, review decisions and
classification verdicts (issue 21)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade():
    op.create_table('chain_entry',
    sa.Column('id', BIG_ID, nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('seq', BIG_ID, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('source_id', BIG_ID, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor', sa.String(length=120), nullable=False),
    sa.Column('covers', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'),
              nullable=False),
    sa.Column('content_sha256', sa.String(length=64), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('chained_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['evaluation.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('evaluation_id', 'kind', 'source_id'),
    sa.UniqueConstraint('evaluation_id', 'seq')
    )
    with op.batch_alter_table('chain_entry', schema=None) as batch_op:
        batch_op.create_index('ix_chain_entry_chained_at', ['evaluation_id', 'chained_at'], unique=False)
    _refuse_updates()


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP TRIGGER IF EXISTS chain_entry_no_update ON chain_entry')
        op.execute('DROP FUNCTION IF EXISTS chain_entry_refuse_change()')
    else:
        op.execute('DROP TRIGGER IF EXISTS chain_entry_no_update')
    with op.batch_alter_table('chain_entry', schema=None) as batch_op:
        batch_op.drop_index('ix_chain_entry_chained_at')
    op.drop_table('chain_entry')


def _refuse_updates():
    """Entries are never rewritten (an evaluation's deletion still cascades to them)."""
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("""
            CREATE FUNCTION chain_entry_refuse_change() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION 'the evidence chain is append-only'; END; $$ LANGUAGE plpgsql""")
        op.execute("""CREATE TRIGGER chain_entry_no_update BEFORE UPDATE ON chain_entry
                      FOR EACH ROW EXECUTE FUNCTION chain_entry_refuse_change()""")
    else:
        op.execute("""CREATE TRIGGER chain_entry_no_update BEFORE UPDATE ON chain_entry
                      BEGIN SELECT RAISE(ABORT, 'the evidence chain is append-only'); END""")

"""Hardening: server-side sessions, HA1 encrypted, duplicate events, why a submission failed

user_session rows let a session end on the server; enumerator.digest_ha1 becomes
digest_ha1_encrypted (existing values encrypted with DATA_KEY); submission gets
processed_inputs_sha256 (duplicate events) and processing_problem (the reason it failed).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03

"""
from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('user_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('key_hash')
    )
    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_user_session_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.add_column(sa.Column('processed_inputs_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('processing_problem', sa.JSON().with_variant(
            postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=True))

    with op.batch_alter_table('enumerator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_ha1_encrypted', sa.String(length=200), nullable=True))
    _convert('digest_ha1', 'digest_ha1_encrypted', _encrypt)
    with op.batch_alter_table('enumerator', schema=None) as batch_op:
        batch_op.drop_column('digest_ha1')


def downgrade():
    with op.batch_alter_table('enumerator', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_ha1', sa.String(length=64), nullable=True))
    _convert('digest_ha1_encrypted', 'digest_ha1', _decrypt)
    with op.batch_alter_table('enumerator', schema=None) as batch_op:
        batch_op.drop_column('digest_ha1_encrypted')

    with op.batch_alter_table('submission', schema=None) as batch_op:
        batch_op.drop_column('processing_problem')
        batch_op.drop_column('processed_inputs_sha256')

    with op.batch_alter_table('user_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_user_session_user_id'))
    op.drop_table('user_session')


def _convert(source, target, transform):
    """Copy every enumerator's HA1 from `source` to `target` through `transform` (with DATA_KEY)."""
    bind = op.get_bind()
    table = sa.table('enumerator', sa.column('id', sa.Integer()), sa.column(source, sa.String()),
                     sa.column(target, sa.String()))
    rows = bind.execute(sa.select(table.c.id, table.c[source]).where(table.c[source].is_not(None))).all()
    for row_id, value in rows:
        bind.execute(table.update().where(table.c.id == row_id).values({target: transform(value)}))


def _encrypt(value):
    from server.infra import secrets_box

    return secrets_box.encrypt(value)


def _decrypt(value):
    from server.infra import secrets_box

    return secrets_box.decrypt(value)

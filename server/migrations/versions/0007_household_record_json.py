"""household.record as plain JSON on PostgreSQL (stored and read whole; JSONB's conversion was half of
the database's work in a register import)

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

"""
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':  # SQLite has one JSON type
        op.execute('ALTER TABLE household ALTER COLUMN record TYPE json USING record::json')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE household ALTER COLUMN record TYPE jsonb USING record::jsonb')

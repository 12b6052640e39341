"""the dashboard at a million interviews: on each submission its finding count, interview day and its
household's place codes (the interview table sorts and filters on them by indexes), filled for the
interviews already checked; on PostgreSQL the character pairs of the household heads' names (the name
search)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa

revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None

# server/households/name_search.py: the distinct pairs of consecutive characters of a name.
BIGRAMS = """CREATE FUNCTION fc_bigrams(name text) RETURNS text[] LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
             AS $$ SELECT ARRAY(SELECT DISTINCT substr(name, i, 2)
                                FROM generate_series(1, length(name) - 1) AS i) $$"""
PLACES = ('county', 'township', 'village')
# In the interview table's order, per column it filters on.
KEYSET = {'ix_submission_day': 'interview_day', 'ix_submission_county': 'county_code',
          'ix_submission_township': 'township_code', 'ix_submission_village': 'village_code'}


def upgrade():
    # Plain ALTER and CREATE INDEX, no batch copy: SQLite adds a column in place.
    op.add_column('submission', sa.Column('finding_count', sa.Integer(), server_default='0', nullable=False))
    op.add_column('submission', sa.Column('interview_day', sa.String(length=10), nullable=True))
    for place in PLACES:
        op.add_column('submission', sa.Column(f'{place}_code', sa.String(length=12), nullable=True))
    # What the rules step now keeps (server/recusal/service.py Checked.columns), for the checked ones.
    codes = ', '.join(f"{p}_code = NULLIF(household.{p}_code, '')" for p in PLACES)
    op.execute(f"""UPDATE submission SET interview_day = interview_fact.day, {codes}
                   FROM interview_fact LEFT JOIN household ON household.id = interview_fact.household_id
                   WHERE interview_fact.submission_id = submission.id""")
    op.execute("""UPDATE submission SET finding_count = found.n
                  FROM (SELECT submission_id, count(*) AS n FROM rule_finding
                        WHERE current AND outcome = 'found' GROUP BY submission_id) AS found
                  WHERE submission.id = found.submission_id""")
    op.create_index('ix_submission_findings', 'submission',
                    ['evaluation_id', 'current', 'finding_count', 'id'], postgresql_include=['review_status'])
    for name, column in KEYSET.items():
        op.create_index(name, 'submission', ['evaluation_id', 'current', column, 'received_at', 'id'])
    if op.get_bind().dialect.name == 'postgresql':
        # An expression index: not in the models (infra/database.MIGRATION_ONLY_INDEXES).
        op.execute(BIGRAMS)
        op.execute('CREATE INDEX ix_household_head_bigrams ON household USING gin (fc_bigrams(head_name))')


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP INDEX ix_household_head_bigrams')
        op.execute('DROP FUNCTION fc_bigrams(text)')
    for name in ('ix_submission_findings',) + tuple(KEYSET):
        op.drop_index(name, 'submission')
    for column in tuple(f'{p}_code' for p in reversed(PLACES)) + ('interview_day', 'finding_count'):
        op.drop_column('submission', column)

"""Forms published before issue 14 no longer carry a submission_url

Publishing now refuses or drops a form's own submission_url (server/questionnaires/submission_url.py),
but versions stored before still served it to every phone, with whatever credential it held. Their
XForm text loses the `<submission action>` here and its md5 follows, so phones fetch the form
again. The URLs are logged (without path and query) so an operator can rotate a token that leaked.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03

"""
import hashlib
import logging
from urllib.parse import urlsplit

from alembic import op
import sqlalchemy as sa

revision = '0014'
down_revision = '0013'
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.runtime.migration")


def upgrade():
    from forms.xform import header, parse, without_submission_action

    bind = op.get_bind()
    table = sa.table('form_version', sa.column('id', sa.Integer()), sa.column('xml', sa.Text()),
                     sa.column('md5', sa.String()))
    rows = bind.execute(sa.select(table.c.id, table.c.xml).where(table.c.xml.like('%action=%'))).all()
    for version_id, xml in rows:
        url = header(parse(xml))["submission_url"]
        if url is None:
            continue
        cleaned = without_submission_action(xml)
        bind.execute(table.update().where(table.c.id == version_id).values(
            xml=cleaned, md5=hashlib.md5(cleaned.encode('utf-8')).hexdigest()))
        parts = urlsplit(url)
        log.warning("form_version %s: dropped its submission_url (%s://%s/...); if that URL held a "
                    "token, rotate it", version_id, parts.scheme, parts.hostname)


def downgrade():
    pass  # a URL that was never to be served is not put back

"""Migration 0014: a form published before issue 14 with a submission_url (here one holding an
enumerator's token) is no longer served with it; phones see a new md5 and send to their own URL."""
import hashlib

from flask_migrate import downgrade, upgrade
from lxml import etree
from sqlalchemy import text

from forms import compile_xlsform
from server import create_app
from server.infra.extensions import db
from testkit.collect_parse import NS_FORMLIST
from testkit.collect_wire import request_headers
from testkit.openrosa_factories import PLAIN, publish, setup_evaluation
from tests.integration.test_migrations import _scratch_databases

LEAKY = """| survey |
| | type | name | label |
| | text | q1 | 问题 Question |
| settings |
| | form_id | version | submission_url |
| | plain | 1 | {url} |
"""
XF = "{http://www.w3.org/2002/xforms}submission"


def _store_as_before(version_id, xml):
    """What publishing stored before the fix: the XForm with its <submission action>."""
    db.session.execute(text("UPDATE form_version SET xml = :xml, md5 = :md5 WHERE id = :id"),
                       {"xml": xml, "md5": hashlib.md5(xml.encode()).hexdigest(), "id": version_id})
    db.session.commit()


def test_a_stored_submission_url_is_dropped_and_the_form_served_without_it(tmp_path, services):
    for url in _scratch_databases(tmp_path):
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "REDIS_URL": services.redis_url, "TESTING": True,
                          "INSTANCE_PATH": str(tmp_path / "instance"), "MEDIA_ROOT": str(tmp_path / "media"),
                          "SECRET_KEY": "x", "DATA_KEY": "k", "PUBLIC_URL": "http://fieldcheck.test"})
        with app.app_context():
            upgrade()  # the set-up helpers write today's models; the schema then goes back to 0013
            evaluation, _, token = setup_evaluation("c1")
            version_id = publish(evaluation, PLAIN, form_id="plain").id
            leaky = compile_xlsform(LEAKY.format(url=f"http://fieldcheck.test/key/{token}/c1/submission")
                                    .encode(), "plain.md", validate=False).xml
            assert token in leaky
            db.session.remove()
            downgrade(revision="0013")
            _store_as_before(version_id, leaky)
            db.session.remove()
            upgrade()
            db.session.expire_all()

            web = app.test_client()
            listed = etree.fromstring(web.get(f"/key/{token}/c1/formList", headers=request_headers()).data)
            [listed_hash] = [h.text for h in listed.iter(f"{{{NS_FORMLIST}}}hash")]
            body = web.get(f"/key/{token}/c1/forms/plain.xml", headers=request_headers()).data
            assert listed_hash == "md5:" + hashlib.md5(body).hexdigest()  # a new md5: phones fetch it again
            assert listed_hash != "md5:" + hashlib.md5(leaky.encode()).hexdigest()
            assert token.encode() not in body
            form = etree.fromstring(body)
            assert [s.get("action") for s in form.iter(XF)] == []  # Collect sends to its own URL
            assert form.find(".//{http://www.w3.org/2002/xforms}bind") is not None  # the rest is kept
            db.session.remove()
            db.engine.dispose()

"""The shipped questionnaire gets each enumerator's own register as form media (fc_households.csv)."""
import csv
import io
import re
from pathlib import Path

import pytest

from server.questionnaires import forms_service
from server.infra.extensions import db
from server.households import assignments, service
from server.models import Enumerator, Household
from testkit.collect_client import CollectClient
from testkit.factories import make_enumerator, make_evaluation
from testkit.household_factories import make_records

pytestmark = pytest.mark.e2e
SHIPPED = Path(__file__).resolve().parents[2] / "forms" / "xlsform" / "household_interview.xlsx"
ID_NUMBER = re.compile(r"\d{17}[\dXx]")


@pytest.fixture
def field(app, live_server):
    app.config["PUBLIC_URL"] = live_server
    evaluation = make_evaluation("county1")
    forms_service.publish_form(evaluation, SHIPPED.read_bytes(), SHIPPED.name, actor="test")
    service.upsert_batch(evaluation, make_records(3, village=1) + make_records(2, village=2), "test")
    zhang, token = make_enumerator(evaluation, "zhang", county="凉城县")
    li, _ = make_enumerator(evaluation, "li", county="武川县")
    rows = db.session.query(Household).order_by(Household.archive_id).all()
    for household in rows[:2]:
        assignments.assign(evaluation, zhang, "test", household=household)
    assignments.assign(evaluation, li, "test", household=rows[2])
    db.session.commit()
    return CollectClient(f"{live_server}/key/{token}/{evaluation.code}"), evaluation, rows


def _register(client):
    entry = next(e for e in client.form_list() if e.form_id == "fc_household_interview")
    media = {m.filename: m for m in client.manifest(entry)}
    body = client.download_media(media["fc_households.csv"])  # the client checks md5 == manifest hash
    return body, list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def test_the_phone_gets_only_its_assigned_households_and_no_id_numbers(field):
    client, _, rows = field
    body, register = _register(client)
    assert list(register[0]) == ["name", "label", "village", "head_name"]
    assert {row["name"] for row in register} == {r.tokens[0].token for r in rows[:2]}
    assert {row["head_name"] for row in register} == {r.head_name for r in rows[:2]}
    assert ID_NUMBER.search(body.decode("utf-8")) is None


def test_the_register_follows_the_assignments(field):
    client, evaluation, rows = field
    _, before = _register(client)
    zhang = db.session.query(Enumerator).filter_by(username="zhang").one()
    assignments.assign(evaluation, zhang, "test", household=rows[3])
    db.session.commit()
    _, after = _register(client)
    assert [row["name"] for row in after if row not in before] == [rows[3].tokens[0].token]

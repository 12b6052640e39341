"""A county with known answers for the counting tests: four exited households of village 1 (four members
each, so every figure's persons are known), one enumerator assigned to them and to screening village 1,
and helpers that submit interviews, refusals and non-registered screenings and read the figures back
through the API. `sealed_county` is the same county whose questionnaire is the shipped one with a public
key: Collect sends its interviews encrypted, over OpenRosa."""
import io
from dataclasses import dataclass

import openpyxl
import pytest

from server.infra.extensions import db
from server.households import assignments as household_assignments
from server.models import Enumerator, Evaluation, Household, Submission
from server.questionnaires import forms_service
from testkit.factories import make_enumerator, make_evaluation
from testkit.figures_factories import fields_for, run_worker
from tests.integration.openrosa.conftest import post
from tests.integration.openrosa.encryption import encrypted_submission
from tests.integration.recusal.conftest import sign_in
from testkit.recusal_factories import (FORM, FORM_ID, FORM_VERSION, PHOTOS, assign, make_households,
                                       publish_interview_form, submit)

VILLAGE = "150782101201"
PHOTO_BYTES = {name: b"\xff\xd8\xff\xe0 " + name.encode() * 20 for name in PHOTOS}


@dataclass
class County:
    evaluation_id: int
    enumerator_id: int
    household_ids: list
    tokens: list
    collect_token: str = ""

    @property
    def evaluation(self):
        return db.session.get(Evaluation, self.evaluation_id)

    @property
    def enumerator(self):
        return db.session.get(Enumerator, self.enumerator_id)

    def household(self, i):
        return db.session.get(Household, self.household_ids[i]), self.tokens[i]

    def interview(self, i, **kwargs):
        """A clean interview of household i (per-capita income 6,000: not 错退); returns the Submission id."""
        household, token = self.household(i)
        return submit(self.evaluation, self.enumerator, fields_for(token, household, **kwargs)).id

    def refusal(self, i, reason="declined", **kwargs):
        """A visit of household i that gave no interview: the card step, then consent = no."""
        household, token = self.household(i)
        fields = fields_for(token, household, minutes=3, **kwargs)
        fields = {k: v for k, v in fields.items() if k in ("start", "end", "today", "deviceid", "enumerator",
                                                           "cover", "card")}
        fields["consent_grp"] = {"consent": "no", "refuse_reason": reason}
        return submit(self.evaluation, self.enumerator, fields, attachments=()).id

    def screening(self, size=5, income=1000, village=VILLAGE, **kwargs):
        """A household not on the register, screened for 漏评 (below the line by default: missed)."""
        fields = fields_for(None, None, size=size, income=income, **kwargs)
        fields["card"] = {"card_status": "not_registered", "hh_qr": ""}
        fields["cover"]["village_code"] = village
        fields["household"].update(hh_type="non_registered")
        for key in ("reg_year", "a8", "a9", "a10", "a11", "a12", "a13"):
            fields["household"].pop(key, None)
        fields["endorsement"].pop("f2", None)
        fields["endorsement"].pop("f4", None)
        return submit(self.evaluation, self.enumerator, fields).id

    def encrypted_interview(self, client, i, leave_out=(), **kwargs):
        """Household i's interview as Collect sends it for an encrypted form: the envelope and the .enc
        parts over OpenRosa (`leave_out`: parts not sent yet). Returns the instanceID."""
        household, token = self.household(i)
        instance_id, envelope, parts = encrypted_submission(FORM_ID, FORM_VERSION,
                                                            fields_for(token, household, **kwargs),
                                                            PHOTO_BYTES)
        sent = [(name, data) for name, data in parts if name not in leave_out]
        answer = post(client, f"/key/{self.collect_token}/county1/submission", envelope, sent)
        assert answer.status_code == 201, answer.data
        return instance_id


def publish_encrypted_interview_form(evaluation):
    """The shipped questionnaire with a public key in its settings sheet (ODK form encryption)."""
    book = openpyxl.load_workbook(FORM)
    settings = book["settings"]
    column = settings.max_column + 1
    settings.cell(row=1, column=column, value="public_key")
    settings.cell(row=2, column=column, value=encrypted_submission.PUBLIC_KEY)
    source = io.BytesIO()
    book.save(source)
    version = forms_service.publish_form(evaluation, source.getvalue(), FORM.name, actor="test")
    db.session.commit()
    assert version.public_key
    return version


def make_county(publish=publish_interview_form):
    evaluation = make_evaluation("county1")
    publish(evaluation)
    enumerator, collect_token = make_enumerator(evaluation, display_name="张调查", province="北京市",
                                                county="海淀区", county_code="110108")
    households = make_households(evaluation, 4, status="exited", members=4)
    for household, _ in households:
        assign(evaluation, enumerator, household)
    household_assignments.assign(evaluation, enumerator, "test", village_code=VILLAGE, actor_is_admin=True)
    db.session.commit()
    return County(evaluation.id, enumerator.id, [h.id for h, _ in households], [t for _, t in households],
                  collect_token)


@pytest.fixture
def county(app):
    return make_county()


@pytest.fixture
def sealed_county(app):
    return make_county(publish_encrypted_interview_form)


def figures(client, headers, level="evaluation"):
    """{figure name: figure} of the first area, and the whole document, through the API."""
    answer = client.get(f"/api/v1/evaluations/county1/figures?level={level}", headers=headers)
    assert answer.status_code == 200, answer.json
    return {f["name"]: f for f in answer.json["areas"][0]["figures"]}, answer.json


def viewer(client, county):
    return sign_in(client, "viewer1", "viewer", county.evaluation)


def findings(client, headers, submission_id):
    """{code: outcome} of the interview's current findings, and its status, through the API."""
    instance_id = db.session.get(Submission, submission_id).instance_id
    answer = client.get(f"/api/v1/evaluations/county1/submissions/{instance_id}", headers=headers)
    assert answer.status_code == 200, answer.json
    return {f["code"]: f["outcome"] for f in answer.json["findings"]}, answer.json["status"]


__all__ = ["county", "sealed_county", "figures", "viewer", "findings", "run_worker", "VILLAGE"]

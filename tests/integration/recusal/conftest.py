"""Fixtures for the recusal integration tests: the shipped form, households with cards, an enumerator
assigned to them, a signed-in admin, and a worker run."""
from dataclasses import dataclass

import pytest
from rq import SimpleWorker

from server.infra.extensions import db, rq
from server.models import Enumerator, Evaluation, Household
from testkit.factories import make_enumerator, make_evaluation, make_user
from testkit.recusal_factories import assign, make_households, publish_interview_form

PASSWORD = "correct horse battery"


@dataclass
class World:
    """Ids, re-read on each use: a worker run ends the session that loaded the rows."""

    evaluation_id: int
    enumerator_id: int
    household_ids: list
    tokens: list

    @property
    def evaluation(self):
        return db.session.get(Evaluation, self.evaluation_id)

    @property
    def enumerator(self):
        return db.session.get(Enumerator, self.enumerator_id)

    @property
    def households(self):
        """[(Household, token)]."""
        return [(db.session.get(Household, i), t) for i, t in zip(self.household_ids, self.tokens)]


@pytest.fixture
def world(app):
    evaluation = make_evaluation("county1")
    publish_interview_form(evaluation)
    enumerator, _ = make_enumerator(evaluation, display_name="张调查", province="北京市", county="海淀区",
                                    county_code="110108")
    households = make_households(evaluation, 4)
    for household, _ in households:
        assign(evaluation, enumerator, household)
    return World(evaluation.id, enumerator.id, [h.id for h, _ in households], [t for _, t in households])


def run_worker():
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)


def sign_in(client, username, role, evaluation):
    make_user(username, role, evaluation)
    answer = client.post("/api/v1/session", json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.json
    return {"X-CSRF-Token": answer.json["csrf_token"]}

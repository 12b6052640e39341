"""DB -> Case: the only impure part of the engine. Reference data is prefetched once per batch of
outbox events (the worker claims a few hundred at a time), so a submission costs one query of its
own (the other interviews it is compared with) plus a token lookup when the batch did not have it.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import and_, func, or_, select

from server.extensions import db
from server.models import (Assignment, CheckRun, Enumerator, Evaluation, Form, FormVersion, Household,
                           HouseholdToken, InterviewFact, OutboxEvent, ReviewDecision, Submission)
from server.recusal import snapshot
from server.recusal.settings import effective
from server.recusal.types import AssignmentInfo, Case, Point, TokenInfo, VillageCentre
from server.recusal.vectors import vector_sha256

EVENTS = ("submission.received", "submission.recheck")
_SESSION_KEY = "fieldcheck.recusal.batch"


class Batch:
    """What the submissions of one batch share, loaded with a handful of queries."""

    def __init__(self, submission_ids, event_ids=()):
        self.event_ids = frozenset(event_ids)
        self.ids = sorted(set(submission_ids))
        self.evaluations, self.fields, self.villages, self.versions = {}, {}, {}, {}
        self.tokens, self.households = {}, {}
        rows = db.session.execute(select(Submission).where(Submission.id.in_(self.ids))).scalars().all()
        self.submissions = {s.id: s for s in rows}
        self._people(rows)
        self.assignments = self._assignments({s.enumerator_id for s in rows if s.enumerator_id})
        self.runs = {r.submission_id: r for r in db.session.execute(select(CheckRun).where(
            CheckRun.submission_id.in_(self.ids), CheckRun.current.is_(True))).scalars()}
        self.facts = {f.submission_id: f for f in db.session.execute(select(InterviewFact).where(
            InterviewFact.submission_id.in_(self.ids))).scalars()}
        self.decisions = {}
        for d in db.session.execute(select(ReviewDecision).where(ReviewDecision.submission_id.in_(self.ids))
                                    .order_by(ReviewDecision.id)).scalars():
            self.decisions[d.submission_id] = d  # the latest wins

    def _people(self, rows):
        ids = {s.enumerator_id for s in rows if s.enumerator_id}
        found = db.session.execute(select(Enumerator).where(Enumerator.id.in_(ids))).scalars() if ids else ()
        self.people = {e.id: snapshot.person(e) for e in found}

    def _assignments(self, enumerator_ids):
        """Active assignments of the batch's enumerators; their households and tokens come along."""
        if not enumerator_ids:
            return {}
        rows = db.session.execute(select(Assignment.id, Assignment.enumerator_id, Assignment.household_id,
                                         Assignment.village_code).where(
            Assignment.enumerator_id.in_(enumerator_ids), Assignment.revoked_at.is_(None))).all()
        by_enumerator = {}
        for row in rows:
            by_enumerator.setdefault(row.enumerator_id, []).append(
                AssignmentInfo(row.id, row.household_id, row.village_code))
        self._load_households({r.household_id for r in rows if r.household_id})
        return by_enumerator

    def _load_households(self, ids):
        if not ids:
            return
        query = (select(Household, HouseholdToken.token, HouseholdToken.revoked_at)
                 .outerjoin(HouseholdToken, HouseholdToken.household_id == Household.id)
                 .where(Household.id.in_(ids)))
        for row, token, revoked_at in db.session.execute(query):
            self.households[row.id] = (row.evaluation_id, snapshot.household(row))
            if token:
                self.tokens[token] = (row.id, revoked_at is not None)

    def evaluation(self, evaluation_id):
        """(Evaluation, RuleSettings)."""
        if evaluation_id not in self.evaluations:
            evaluation = db.session.get(Evaluation, evaluation_id)
            self.evaluations[evaluation_id] = (evaluation, effective(evaluation.settings))
        return self.evaluations[evaluation_id]

    def fields_of(self, version_id):
        if version_id not in self.fields:
            version = db.session.get(FormVersion, version_id)
            # Held so the identity map keeps it: the parse step gets it for every submission, and
            # reloading it means decoding the whole field list again.
            self.versions[version_id] = version
            form_map = db.session.execute(select(Form.field_map).where(Form.id == version.form_id)).scalar()
            self.fields[version_id] = snapshot.contract_fields(version.contract, version.fields, form_map)
        return self.fields[version_id]

    def token(self, parsed, evaluation_id):
        """(TokenInfo with its final status, HouseholdInfo or None)."""
        if parsed.status != "pending":
            return parsed, None
        if parsed.token not in self.tokens:
            row = db.session.execute(select(HouseholdToken.household_id, HouseholdToken.revoked_at)
                                     .where(HouseholdToken.token == parsed.token)).first()
            self.tokens[parsed.token] = (row.household_id, row.revoked_at is not None) if row else None
            if row is not None and row.household_id not in self.households:
                self._load_households({row.household_id})
        known = self.tokens[parsed.token]
        if known is None or self.households[known[0]][0] != evaluation_id:
            return TokenInfo(parsed.raw, parsed.token, "unknown"), None
        status = "revoked" if known[1] else "active"
        return TokenInfo(parsed.raw, parsed.token, status), self.households[known[0]][1]

    def village_centres(self, evaluation_id):
        if evaluation_id not in self.villages:
            rows = db.session.execute(
                select(Household.village_code, func.min(Household.village), func.avg(Household.latitude),
                       func.avg(Household.longitude))
                .where(Household.evaluation_id == evaluation_id, Household.latitude.is_not(None),
                       Household.longitude.is_not(None), Household.withdrawn_at.is_(None))
                .group_by(Household.village_code)).all()
            self.villages[evaluation_id] = tuple(
                VillageCentre(code, name or code, Point(float(lat), float(lon)))
                for code, name, lat, lon in rows if code)
        return self.villages[evaluation_id]


def batch_for(event):
    """The Batch of the events claimed with `event` (siblings found in the session), built once."""
    cached = db.session.info.get(_SESSION_KEY)
    if cached is not None and event.id in cached.event_ids:
        return cached
    # vars() and not attribute access: events of earlier, committed batches are expired, and reading
    # their state would cost a query each.
    siblings = [e for e in list(db.session.identity_map.values())
                if isinstance(e, OutboxEvent) and vars(e).get("state") == "pending"
                and vars(e).get("name") in EVENTS]
    siblings = [e for e in siblings if e.id is not None] + [event]
    ids = {e.payload.get("submission_id") for e in siblings} - {None}
    batch = Batch(ids, {e.id for e in siblings})
    db.session.info[_SESSION_KEY] = batch
    return batch


def load_case(submission, batch):
    """(Case, vector sha256) of `submission` (its answers must be parsed)."""
    fields = batch.fields_of(submission.form_version_id)
    data = (submission.answers or {}).get("data") or {}
    answers = snapshot.answers_by_key(data, fields)
    present = frozenset(a["name"] for a in (submission.answers or {}).get("attachments") or ()
                        if a.get("present"))
    parsed = snapshot.parse_qr(answers.get("hh_qr"), current_app.config.get("PUBLIC_URL") or "")
    token, household = batch.token(parsed, submission.evaluation_id)
    person = batch.people.get(submission.enumerator_id)
    vector = vector_sha256(answers)
    day = snapshot.fact_values(answers)[0]
    others = _others(submission, person, household, day, vector)
    case = Case(submission_id=submission.id, instance_id=submission.instance_id, fields=fields,
                answers=answers, attachments=present, enumerator=person, household=household,
                assignment=_assignment(batch, person, household), token=token,
                same_day=tuple(i for f, i in others
                               if person and f.enumerator_id == person.id and f.day == day),
                same_household=tuple(i for f, i in others if household and f.household_id == household.id),
                same_vector=tuple(i for f, i in others if vector and f.vector_sha256 == vector),
                villages=batch.village_centres(submission.evaluation_id))
    return case, vector


def _assignment(batch, person, household):
    if person is None or household is None:
        return None
    for row in batch.assignments.get(person.id, ()):
        village = row.village_code and row.village_code == household.place.village_code
        if row.household_id == household.id or village:
            return row
    return None


def _others(submission, person, household, day, vector):
    """[(InterviewFact, Interview)] of the other current interviews sharing the day, household or answers."""
    wanted = []
    if person is not None and day:
        wanted.append(and_(InterviewFact.enumerator_id == person.id, InterviewFact.day == day))
    if household is not None:
        wanted.append(InterviewFact.household_id == household.id)
    if vector:
        wanted.append(InterviewFact.vector_sha256 == vector)
    if not wanted:
        return []
    rows = db.session.execute(
        select(InterviewFact).join(Submission, Submission.id == InterviewFact.submission_id)
        .where(InterviewFact.evaluation_id == submission.evaluation_id, Submission.current.is_(True),
               InterviewFact.submission_id != submission.id,
               Submission.root_instance_id != submission.root_instance_id, or_(*wanted))
        .order_by(InterviewFact.submission_id)).scalars().all()
    return [(f, snapshot.interview(f)) for f in rows]

"""DB -> Case: the only impure part of the engine. A worker batch (a few hundred outbox events) reads
what its submissions need in a handful of queries up front: the submissions, their parsed answers,
the households their cards name, and the other interviews they are compared with. Its events are then
computed in memory; `keep_*` records an event's results so the later events of the batch see them.
"""
from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, replace
from typing import Any, Optional

from flask import current_app
from sqlalchemy import func, or_, select, tuple_

from server.submissions import sealed
from server.submissions.answers import parse_answers
from server.infra.extensions import db
from server.models import (Assignment, Attachment, BackcheckTarget, CheckRun, Enumerator, Evaluation, Form,
                           FormVersion, Household, HouseholdLink, HouseholdToken, InterviewFact,
                           ReviewDecision, SampleUnit, Submission)
from server.recusal import snapshot
from server.recusal.neighbours import Fact, Neighbours
from server.evaluation_settings import reconciliation as reconciliation_settings
from server.recusal.settings import effective
from server.recusal.types import AssignmentInfo, BackcheckInfo, Case, Point, TokenInfo, VillageCentre
from server.recusal.vectors import straight, vector_sha256

log = logging.getLogger(__name__)
ENCRYPTED = {"encrypted": True, "data": {}, "attachments": [], "unknown": []}


@dataclass
class SubmissionRow:
    """What the pipeline reads and writes of a submission (a plain copy, not the ORM row)."""

    id: int
    evaluation_id: int
    form_version_id: int
    enumerator_id: Optional[int]
    instance_id: str
    root_instance_id: str
    current: bool
    encrypted: bool
    review_status: Optional[str]
    finding_count: int = 0  # with review_status, what the rules step leaves for the interview table
    interview_day: Optional[str] = None
    county_code: Optional[str] = None
    township_code: Optional[str] = None
    village_code: Optional[str] = None
    xml_sha256: str = ""
    processed_inputs_sha256: Optional[str] = None
    answers: Optional[dict] = None


@dataclass(frozen=True)
class Version:
    """A form version as the pipeline needs it: its field list and contract paths, its form's id."""

    fields: Any
    contract: dict
    form_id: str


@dataclass
class RunState:
    """A submission's current check run: read from the database (`id`), or made in this batch (`row`
    and `findings` to insert, `found`: the codes it found)."""

    id: Optional[int]
    inputs_sha256: str
    household_id: Optional[int]
    row: Optional[dict] = None
    findings: Optional[list] = None
    found: Optional[frozenset] = None


_SUBMISSION_COLUMNS = [Submission.id, Submission.evaluation_id, Submission.form_version_id,
                       Submission.enumerator_id, Submission.instance_id, Submission.root_instance_id,
                       Submission.current, Submission.encrypted, Submission.review_status,
                       Submission.finding_count, Submission.interview_day, Submission.county_code,
                       Submission.township_code, Submission.village_code, Submission.xml_sha256,
                       Submission.processed_inputs_sha256]
_HOUSEHOLD_COLUMNS = [Household.id, Household.evaluation_id, Household.archive_id, Household.province,
                      Household.county, Household.township, Household.village, Household.county_code,
                      Household.township_code, Household.village_code, Household.status,
                      Household.latitude, Household.longitude, Household.record]
_FACT_COLUMNS = [InterviewFact.submission_id, InterviewFact.evaluation_id, InterviewFact.instance_id,
                 InterviewFact.enumerator_id, InterviewFact.household_id, InterviewFact.day,
                 InterviewFact.started_at, InterviewFact.ended_at, InterviewFact.latitude,
                 InterviewFact.longitude, InterviewFact.vector_sha256, InterviewFact.straight,
                 Submission.root_instance_id]


class Batch:
    """What the submissions of one batch share, loaded with a handful of queries."""

    def __init__(self, submission_ids):
        self.ids = sorted(set(submission_ids))
        self.evaluations, self.versions, self.villages, self._cache, self._keyed = {}, {}, {}, {}, {}
        self.tokens, self.households, self.household_rows = {}, {}, {}
        self.submissions = {r.id: SubmissionRow(**r._mapping) for r in db.session.execute(
            select(*_SUBMISSION_COLUMNS).where(Submission.id.in_(self.ids)))}
        rows = list(self.submissions.values())
        self.links = self._links(rows)
        self._people({s.enumerator_id for s in rows if s.enumerator_id})
        self.assignments = self._assignments({s.enumerator_id for s in rows if s.enumerator_id})
        self.runs, self.decisions = self._runs(), self._decisions()
        self._parsed = self._parse(rows)
        self.neighbours = self._prepare(rows)

    # --- reading, once per batch ---------------------------------------------------------------------

    def _runs(self):
        rows = db.session.execute(select(CheckRun.id, CheckRun.submission_id, CheckRun.inputs_sha256,
                                         CheckRun.household_id)
                                  .where(CheckRun.submission_id.in_(self.ids), CheckRun.current.is_(True)))
        return {r.submission_id: RunState(r.id, r.inputs_sha256, r.household_id) for r in rows}

    def _decisions(self):
        decisions = {}
        for d in db.session.execute(select(ReviewDecision).where(ReviewDecision.submission_id.in_(self.ids))
                                    .order_by(ReviewDecision.id)).scalars():
            decisions[d.submission_id] = d  # the latest wins
        return decisions

    def _links(self, rows):
        """{(evaluation id, root instance id): household id} a supervisor linked, their households loaded."""
        roots = {r.root_instance_id for r in rows}
        links = {(r.evaluation_id, r.root_instance_id): r.household_id for r in db.session.execute(
            select(HouseholdLink.evaluation_id, HouseholdLink.root_instance_id, HouseholdLink.household_id)
            .where(HouseholdLink.root_instance_id.in_(roots)))} if roots else {}
        if links:
            self._load_households(Household.id.in_(set(links.values())))
        return links

    def linked_households(self):
        return set(self.links.values())

    def is_backcheck(self, row):
        """Is the submission a back-check (the evaluation's back-check form), not an interview?"""
        def form_id():
            evaluation = self.evaluation(row.evaluation_id)[0]
            return reconciliation_settings.effective(evaluation.settings)["backcheck"]["form_id"]

        wanted = self.memo(("backcheck.form", row.evaluation_id), form_id)
        return self.version(row.form_version_id).form_id == wanted

    def _people(self, ids):
        found = db.session.execute(select(Enumerator).where(Enumerator.id.in_(ids))).scalars() if ids else ()
        self.people = {e.id: snapshot.person(e) for e in found}

    def _assignments(self, enumerator_ids):
        """Active assignments of the batch's enumerators; an assignment of a drawn household also covers
        the substitutes recorded for it (and theirs), never one not yet recorded."""
        if not enumerator_ids:
            return {}
        rows = db.session.execute(select(Assignment.id, Assignment.enumerator_id, Assignment.household_id,
                                         Assignment.village_code, Assignment.sample_unit_id).where(
            Assignment.enumerator_id.in_(enumerator_ids), Assignment.revoked_at.is_(None))).all()
        by_enumerator = {}
        for row in rows:
            by_enumerator.setdefault(row.enumerator_id, []).append(
                AssignmentInfo(row.id, row.household_id, row.village_code))
        units = {row.sample_unit_id: row for row in rows if row.sample_unit_id and row.household_id}
        while units:
            found = db.session.execute(
                select(SampleUnit.id, SampleUnit.household_id, SampleUnit.substitute_for_id)
                .where(SampleUnit.substitute_for_id.in_(units))).all()
            for unit in found:
                origin = units[unit.substitute_for_id]
                by_enumerator[origin.enumerator_id].append(AssignmentInfo(origin.id, unit.household_id, None))
            units = {unit.id: units[unit.substitute_for_id] for unit in found if unit.household_id}
        return by_enumerator

    def _parse(self, rows):
        """{submission id: answers document, or the exception parsing it raised}. An encrypted submission
        has the answers a decryption run opened and sealed (submissions/sealed.py), else none to read."""
        names, self._files = {}, {}
        for sid, name, sha256 in db.session.execute(
                select(Attachment.submission_id, Attachment.name, Attachment.sha256)
                .where(Attachment.submission_id.in_(self.ids))):
            names.setdefault(sid, []).append(name)
            self._files.setdefault(sid, []).append((name, sha256))
        xml = dict(db.session.execute(select(Submission.id, Submission.xml).where(
            Submission.id.in_([s.id for s in rows if not s.encrypted]))).all())
        encrypted = [s.id for s in rows if s.encrypted]
        decrypted = dict(db.session.execute(select(Submission.id, Submission.answers).where(
            Submission.id.in_(encrypted))).all()) if encrypted else {}
        parsed = {}
        for row in rows:
            try:
                if row.encrypted:
                    stored = decrypted.get(row.id)
                    parsed[row.id] = sealed.opened(stored) if sealed.is_sealed(stored) else dict(ENCRYPTED)
                    continue
                parsed[row.id] = parse_answers(
                    xml[row.id], self.version(row.form_version_id).fields, names.get(row.id, ()))
            except Exception as exc:  # the parse step raises it, for this event alone
                parsed[row.id] = exc
        return parsed

    def _prepare(self, rows):
        """Read the households the batch's cards name, and the interviews its submissions are compared
        with (facts sharing a day, household or answer vector)."""
        wanted = {}
        for row in rows:
            try:
                wanted[row.id] = self._wanted(row)
            except Exception as exc:  # odd answers: the rule step meets the same error, for this event
                log.debug("submission %s: no comparison keys: %s", row.id, exc)
        tokens = {w[0] for w in wanted.values() if w[0]}
        if tokens:
            self._load_households(HouseholdToken.token.in_(tokens), tokens)
        facts = [self._fact_of(row, *wanted[row.id][1:]) for row in rows if row.id in wanted]
        return Neighbours(self._facts_like(facts))

    def _wanted(self, row):
        answers = self.parsed(row)
        if answers is None or answers.get("encrypted"):
            return None, None, None, None
        keyed = self.keyed(row, answers)
        parsed = snapshot.parse_qr(snapshot.card_of(keyed), current_app.config.get("PUBLIC_URL") or "")
        return (parsed.token if parsed.status == "pending" else None, keyed, parsed,
                snapshot.fact_values(keyed)[0])

    def _fact_of(self, row, keyed, parsed, day):
        household = self.identify(row, parsed)[1] if parsed is not None else None
        person = self.people.get(row.enumerator_id)
        return Fact(row.id, row.evaluation_id, row.instance_id, enumerator_id=person and person.id,
                    household_id=household_key(self, row, household, keyed), day=day,
                    vector_sha256=vector_sha256(keyed) if keyed is not None else None)

    def _facts_like(self, wanted):
        """Facts of current interviews sharing a key with one of `wanted`."""
        days = {(f.enumerator_id, f.day) for f in wanted if f.enumerator_id is not None and f.day}
        households = {f.household_id for f in wanted if f.household_id is not None}
        vectors = {f.vector_sha256 for f in wanted if f.vector_sha256}
        tests = []
        if days:
            tests.append(tuple_(InterviewFact.enumerator_id, InterviewFact.day).in_(sorted(days)))
        if households:
            tests.append(InterviewFact.household_id.in_(households))
        if vectors:
            tests.append(InterviewFact.vector_sha256.in_(vectors))
        if not tests:
            return []
        rows = db.session.execute(
            select(*_FACT_COLUMNS).join(Submission, Submission.id == InterviewFact.submission_id)
            .where(InterviewFact.evaluation_id.in_({f.evaluation_id for f in wanted}),
                   Submission.current.is_(True), or_(*tests)))
        return [Fact(**r._mapping) for r in rows]

    def _load_households(self, condition, tokens=()):
        query = (select(*_HOUSEHOLD_COLUMNS, HouseholdToken.token, HouseholdToken.revoked_at)
                 .join(HouseholdToken, HouseholdToken.household_id == Household.id).where(condition))
        for row in db.session.execute(query):
            self.household_rows[row.id] = row
            self.households[row.id] = (row.evaluation_id, snapshot.household(row))
            self.tokens[row.token] = (row.id, row.revoked_at is not None)
        for token in tokens:
            self.tokens.setdefault(token, None)

    # --- lookups -------------------------------------------------------------------------------------

    def parsed(self, submission):
        """The answers document of `submission` (raises what parsing it raised)."""
        answers = self._parsed.get(submission.id)
        if isinstance(answers, Exception):
            raise answers
        return answers

    def inputs_sha256(self, submission, complete):
        """What a `submission.received` run reads of a submission (its XML, its files, whether it is
        complete), hashed: the same hash twice means the second event has nothing new to process."""
        files = sorted(self._files.get(submission.id, ()))
        return hashlib.sha256(json.dumps([submission.xml_sha256, files, bool(complete)]).encode()).hexdigest()

    def keyed(self, submission, answers=None):
        """{contract key: answer} of the submission's answers document (`answers`, else its own),
        worked out once per document."""
        answers = submission.answers if answers is None else answers
        known = self._keyed.get(submission.id)
        if known is None or known[0] is not answers:
            data = (answers or {}).get("data") or {}
            known = self._keyed[submission.id] = (answers, snapshot.answers_by_key(
                data, self.fields_of(submission.form_version_id)))
        return known[1]

    def evaluation(self, evaluation_id):
        """(Evaluation, RuleSettings)."""
        if evaluation_id not in self.evaluations:
            evaluation = db.session.get(Evaluation, evaluation_id)
            self.evaluations[evaluation_id] = (evaluation, effective(evaluation.settings))
        return self.evaluations[evaluation_id]

    def memo(self, key, compute):
        """`compute()` once per batch (what other steps derive from the batch, e.g. merged settings)."""
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def version(self, version_id):
        if version_id not in self.versions:
            version = db.session.execute(select(FormVersion.fields, FormVersion.contract, Form.field_map,
                                                Form.xml_form_id)
                                         .join(Form, Form.id == FormVersion.form_id)
                                         .where(FormVersion.id == version_id)).one()
            contract = snapshot.contract_fields(version.contract, version.fields, version.field_map)
            self.versions[version_id] = Version(version.fields, contract, version.xml_form_id)
        return self.versions[version_id]

    def fields_of(self, version_id):
        return self.version(version_id).contract

    def token(self, parsed, evaluation_id):
        """(TokenInfo with its final status, HouseholdInfo or None)."""
        if parsed.status != "pending":
            return parsed, None
        if parsed.token not in self.tokens:
            self._load_households(HouseholdToken.token == parsed.token, (parsed.token,))
        known = self.tokens[parsed.token]
        if known is None or self.households[known[0]][0] != evaluation_id:
            return TokenInfo(parsed.raw, parsed.token, "unknown"), None
        status = "revoked" if known[1] else "active"
        return TokenInfo(parsed.raw, parsed.token, status), self.households[known[0]][1]

    def identify(self, submission, parsed):
        """(TokenInfo, HouseholdInfo or None) of a submission: the household a supervisor linked it to, else
        the one its card names."""
        token, household = self.token(parsed, submission.evaluation_id)
        linked = self.links.get((submission.evaluation_id, submission.root_instance_id))
        if linked is None or linked not in self.households:
            return token, household
        if household is None or household.id != linked:
            token = TokenInfo(token.raw, token.token, "linked")
        return token, self.households[linked][1]

    def backcheck_info(self, submission, household):
        """BackcheckInfo of a back-check submission (None for an interview)."""
        if not self.is_backcheck(submission):
            return None
        if household is None:
            return BackcheckInfo()
        targets = db.session.execute(
            select(BackcheckTarget.enumerator_id, BackcheckTarget.backchecker_id).where(
                BackcheckTarget.evaluation_id == submission.evaluation_id,
                BackcheckTarget.household_id == household.id)).all()
        originals = db.session.execute(
            select(func.count()).select_from(InterviewFact)
            .join(Submission, Submission.id == InterviewFact.submission_id)
            .where(InterviewFact.evaluation_id == submission.evaluation_id,
                   InterviewFact.household_id == household.id, Submission.current.is_(True))).scalar()
        return BackcheckInfo(tuple((a, b) for a, b in targets), int(originals or 0))

    def household_row(self, household_id):
        """The household's columns and record (for reconciliation), or None."""
        if household_id is not None and household_id not in self.household_rows:
            row = db.session.execute(select(*_HOUSEHOLD_COLUMNS).where(Household.id == household_id)).first()
            self.household_rows[household_id] = row
        return self.household_rows.get(household_id)

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

    # --- what the batch's events have done so far ---------------------------------------------------

    def keep_submission(self, submission):
        self.submissions[submission.id] = submission

    def keep_check(self, fact, run):
        """The event's interview fact and current run replace the earlier ones for later events."""
        self.neighbours.put(fact)
        self.runs[fact.submission_id] = run


def load_case(submission, batch):
    """(Case, fact) of `submission` (its answers must be parsed): `fact` is its interview_fact."""
    fields = batch.fields_of(submission.form_version_id)
    answers = batch.keyed(submission)
    present = frozenset(a["name"] for a in (submission.answers or {}).get("attachments") or ()
                        if a.get("present"))
    parsed = snapshot.parse_qr(snapshot.card_of(answers), current_app.config.get("PUBLIC_URL") or "")
    token, household = batch.identify(submission, parsed)
    person = batch.people.get(submission.enumerator_id)
    fact = _fact(submission, person, household_key(batch, submission, household, answers), answers)
    others = [(f, snapshot.interview(f)) for f in batch.neighbours.around(fact, submission.root_instance_id)]
    # Looked up by the enumerator the batch knows; stored with the submission's, as sent.
    stored = replace(fact, enumerator_id=submission.enumerator_id)
    case = Case(submission_id=submission.id, instance_id=submission.instance_id, fields=fields,
                answers=answers, attachments=present, enumerator=person, household=household,
                assignment=_assignment(batch, person, household, answers), token=token,
                same_day=tuple(i for f, i in others
                               if person and f.enumerator_id == person.id and f.day == fact.day),
                same_household=tuple(i for f, i in others
                                     if fact.household_id is not None
                                     and f.household_id == fact.household_id),
                same_vector=tuple(i for f, i in others
                                  if fact.vector_sha256 and f.vector_sha256 == fact.vector_sha256),
                villages=batch.village_centres(submission.evaluation_id),
                backcheck=batch.backcheck_info(submission, household))
    return case, stored


def household_key(batch, submission, household, answers):
    """The household an interview counts as a visit of, for "household interviewed twice": none for a
    back-check (it is not a second interview) or a refusal (it is not an interview)."""
    if household is None or str(answers.get("consent") or "") == "no" or batch.is_backcheck(submission):
        return None
    return household.id


def _fact(submission, person, household_id, answers):
    """The submission's fact as its neighbours are looked up: the keys it shares with them."""
    day, start, end, point = snapshot.fact_values(answers)
    return Fact(submission.id, submission.evaluation_id, submission.instance_id,
                enumerator_id=person.id if person else None, household_id=household_id,
                day=day, started_at=start, ended_at=end, latitude=point.lat if point else None,
                longitude=point.lon if point else None, vector_sha256=vector_sha256(answers),
                straight=straight(answers), root_instance_id=submission.root_instance_id,
                current=bool(submission.current))


def _assignment(batch, person, household, answers):
    """The enumerator's assignment that covers this interview: a registered household by its own
    assignment (a village assignment is for screening non-registered households, not for the village's
    registered ones), a household not on the register by the screening assignment of its village."""
    if person is None:
        return None
    village = str(answers.get("village_code") or "")
    for row in batch.assignments.get(person.id, ()):
        if household is not None and row.household_id == household.id:
            return row
        if household is None and row.household_id is None and village and row.village_code == village:
            return row
    return None

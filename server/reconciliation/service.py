"""Reconcile a submission: its answers against its household's record, matched and classified, and what
that does to the figures. Safe to re-run: the result is recomputed and replaces the stored one, and the
figures take the difference from the interview's previous contribution (never a second one).

`reconcile` writes nothing: the worker batch keeps the outcome for the batch's later events and writes
every event's outcome at once (server/reconciliation/store.py).
"""
from dataclasses import dataclass
from datetime import timezone
from typing import Optional

from sqlalchemy import select

from server.submissions.answers import data_key
from server.infra.extensions import db
from server.figures import maintain
from server.models import (Assignment, ClassificationReview, Evaluation, FigureContribution, Household,
                           Reconciliation, SampleUnit)
from server.evaluation_settings import reconciliation as reconciliation_settings
from server.reconciliation.classify import classify
from server.reconciliation.match import match
from server.recusal.measure import parse_time
from server.backchecks import service as backcheck_service

# Read by field name when the form carries them (not contract keys): main cause, exit year, village.
EXTRA_FIELDS = ("a6", "exit_year", "village_code", "refuse_reason")
_CACHE = "fieldcheck.reconciliation.cache"


@dataclass(frozen=True)
class Reconciled:
    """The outcome of reconciling one submission."""

    row: Optional[dict] = None  # its reconciliation row (None for a back-check)
    contribution: Optional[dict] = None  # its interview's contribution after it (None: left alone)
    moves: tuple = ()  # [(area, counter change)] for the village aggregates
    backcheck: Optional[tuple] = None  # (target, submission id, comparison) of a back-check
    others: tuple = ()  # changed contributions of the household's other interviews (one household, one count)


def reconcile(submission, run, batch, known, status_changed=False):
    """Reconcile `submission` (answers parsed, rules run: `run` is its current run) with the recusal
    loader's `batch` and the figures' `known` rows. Returns Reconciled, or None when there is nothing to
    read (encrypted, and not opened by a decryption run). A back-check is compared with its original instead
    (server/backchecks/service.py).
    """
    if not submission.answers or submission.answers.get("encrypted"):
        return None
    settings, settings_sha256 = _batch_settings(batch, submission.evaluation_id)
    answers = answers_of(submission, batch)
    household = batch.household_row(run.household_id) if run is not None else None
    if batch.version(submission.form_version_id).form_id == settings["backcheck"]["form_id"]:
        found = backcheck_service.comparison_of(submission, answers, household, settings)
        return Reconciled(backcheck=found, **_follow_status(submission, known, settings, status_changed))
    record = household.record if household is not None else None
    classification = classify(answers, record, settings)
    row = {"submission_id": submission.id, "evaluation_id": submission.evaluation_id,
           "household_id": household.id if household is not None else None,
           "household_type": classification["household_type"], "classification": classification,
           "comparisons": match(answers, record, settings), "settings_sha256": settings_sha256}
    if not submission.current:  # an older version of an edited interview leaves the figures alone
        return Reconciled(row=row, **_follow_status(submission, known, settings, status_changed))
    old = known.contribution(submission)
    household_id = household.id if household is not None else None
    area = area_of(household, answers, submission.evaluation_id)
    new, _ = maintain.change(old, submission, classification, area, settings,
                             known.reviews.get(submission.id, {}), household_id, _started_at(answers),
                             household_id in known.substitutes)
    return Reconciled(row, **known.settled(old, new, area))


def _started_at(answers):
    """The visit's start as an ISO UTC string (which of a household's interviews is the later visit)."""
    moment = parse_time(answers.get("start"))
    return moment.astimezone(timezone.utc).isoformat() if moment is not None else None


def _follow_status(submission, known, settings, status_changed):
    """A contribution of this very submission follows its new status (as server/figures/status_hook.py
    does when the status changes anywhere else)."""
    row = known.contribution(submission)
    if not status_changed or row is None or row["submission_id"] != submission.id:
        return {}
    new, _ = maintain.recount(row, maintain.counts(submission, settings), maintain.status_of(submission))
    return known.settled(row, new)


class Known:
    """What reconciling a worker batch reads besides its Case batch: its interviews' contributions and those
    of the other interviews of their households, the supervisors' verdicts and which households are
    substitutes, in a few queries; `keep` makes an event's contributions the ones later events see."""

    def __init__(self, batch):
        ids = list(batch.submissions)
        roots = {s.root_instance_id for s in batch.submissions.values()}
        evaluations = {s.evaluation_id for s in batch.submissions.values()}
        columns = [FigureContribution.__table__.c[name] for name in maintain.COLUMNS]
        self.contributions, self.by_household = {}, {}
        # By evaluation too, so the unique index (evaluation, root) finds them.
        self._add(db.session.execute(select(*columns).where(FigureContribution.evaluation_id.in_(evaluations),
                                                            FigureContribution.root_instance_id.in_(roots))))
        households = set(batch.households) | {r["household_id"] for r in self.contributions.values()}
        households |= set(batch.linked_households())
        households.discard(None)
        if households:
            self._add(db.session.execute(select(*columns).where(
                FigureContribution.evaluation_id.in_(evaluations),
                FigureContribution.household_id.in_(households))))
        self.substitutes = set(db.session.execute(select(SampleUnit.household_id).where(
            SampleUnit.household_id.in_(households), SampleUnit.substitute_for_id.is_not(None))).scalars()) \
            if households else set()
        self.reviews = {}
        for review in db.session.execute(select(ClassificationReview).where(
                ClassificationReview.submission_id.in_(ids)).order_by(ClassificationReview.id)).scalars():
            self.reviews.setdefault(review.submission_id, {})[review.flag] = review.decision

    def _add(self, rows):
        for r in rows:
            self._put(dict(r._mapping))

    def _put(self, row):
        key = (row["evaluation_id"], row["root_instance_id"])
        old = self.contributions.get(key)
        if old is not None and old["household_id"] is not None:
            self.by_household.get((key[0], old["household_id"]), set()).discard(key[1])
        self.contributions[key] = row
        if row["household_id"] is not None:
            self.by_household.setdefault((key[0], row["household_id"]), set()).add(key[1])

    def contribution(self, submission):
        return self.contributions.get((submission.evaluation_id, submission.root_instance_id))

    def settled(self, old, new, area=None):
        """{contribution, moves, others}: `new` replaces `old` (one interview's row), and the households it
        was and is in are settled again (which of their interviews counts)."""
        evaluation_id, root = new["evaluation_id"], new["root_instance_id"]
        rows = {root: new}
        for household_id in {new["household_id"], old and old["household_id"]} - {None}:
            for other in self.by_household.get((evaluation_id, household_id), ()):
                if other != root:
                    rows.setdefault(other, self.contributions[(evaluation_id, other)])
            group = [r for r in rows.values() if r["household_id"] == household_id]
            rows.update(maintain.settle(group))
        moves = list(maintain.moves_between(old, rows[root], area))
        others = []
        for other, row in rows.items():
            before = self.contributions.get((evaluation_id, other))
            if other != root and row is not before:
                moves += maintain.moves_between(before, row)
                others.append(row)
        return {"contribution": rows[root], "moves": tuple(moves), "others": tuple(others)}

    def keep(self, reconciled):
        if reconciled is None:
            return
        for row in (reconciled.contribution, *reconciled.others):
            if row is not None:
                self._put(row)


def refresh_figures(submission):
    """Recompute the submission's contribution from its stored classification (after a verdict)."""
    row = db.session.get(Reconciliation, submission.id)
    if row is None:
        return None
    household = db.session.get(Household, row.household_id) if row.household_id else None
    stored = maintain.contribution_of(submission.evaluation_id, submission.root_instance_id)
    answers = {"village_code": stored.village_code if stored is not None else None}
    settings = _settings(submission.evaluation_id)
    area = area_of(household, answers, submission.evaluation_id)
    return maintain.update(submission, row.classification, area, settings,
                           household_id=row.household_id, started_at=stored and stored.started_at)


def answers_of(submission, batch):
    """{contract key or extra field name: answer} of the submission."""
    data = (submission.answers or {}).get("data") or {}
    extra = _extra_fields(batch, submission.form_version_id)
    return {**batch.keyed(submission), **{name: data.get(data_key(path)) for name, path in extra}}


def _extra_fields(batch, version_id):
    """[(name, path)] of the EXTRA_FIELDS the version carries outside its contract (by a name that is
    unambiguous)."""
    def extra():
        version = batch.version(version_id)
        by_name = {}
        for field in version.fields or ():
            by_name.setdefault(field.get("name"), []).append(field.get("path"))
        paths = {name: by_name[name][0] for name in EXTRA_FIELDS if len(by_name.get(name, ())) == 1}
        return [(name, path) for name, path in paths.items() if name not in version.contract and path]

    return batch.memo(("reconciliation.extra_fields", version_id), extra)


def _batch_settings(batch, evaluation_id):
    """(settings, sha256) of the evaluation, merged once per batch (the steps only read them)."""
    def merged():
        settings = _settings(evaluation_id)
        return settings, reconciliation_settings.sha256(settings)

    return batch.memo(("reconciliation.settings", evaluation_id), merged)


def area_of(household, answers, evaluation_id=None):
    """The interview's place: the household's, else the village code answered on the cover page when it is
    one of the evaluation's villages (a register village, or one assigned for screening). Anything else
    is "not placed" (code ""): an answer never creates a county, township or village."""
    if household is not None:
        return {"county_code": household.county_code or "", "township_code": household.township_code or "",
                "village_code": household.village_code or "", "county": household.county,
                "township": household.township, "village": household.village}
    code = str(answers.get("village_code") or "")
    code = code if code.isdigit() and len(code) == 12 else ""
    names = _village_names(evaluation_id, code) if code else None
    if names is None:
        code, names = "", ("", "", "")
    return {"county_code": code[:6], "township_code": code[:9], "village_code": code,
            "county": names[0], "township": names[1], "village": names[2]}


def _cache():
    return db.session.info.setdefault(_CACHE, {})


def _village_names(evaluation_id, code):
    """(county, township, village) names of one of the evaluation's villages, or None: not its village."""
    cache = _cache()
    key = ("village", evaluation_id, code)
    if key not in cache:
        row = db.session.execute(select(Household.county, Household.township, Household.village).where(
            Household.evaluation_id == evaluation_id, Household.village_code == code).limit(1)).first()
        if row is None and db.session.execute(select(Assignment.id).where(
                Assignment.evaluation_id == evaluation_id, Assignment.village_code == code).limit(1)).first():
            row = ("", "", "")
        cache[key] = tuple(row) if row is not None else None
    return cache[key]


def _settings(evaluation_id):
    return reconciliation_settings.effective(db.session.get(Evaluation, evaluation_id).settings)

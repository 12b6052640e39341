"""Reconcile a submission: its answers against its household's record, matched and classified, and what
that does to the figures. Safe to re-run: the result is recomputed and replaces the stored one, and the
figures take the difference from the interview's previous contribution (never a second one).

`reconcile` writes nothing: the worker batch keeps the outcome for the batch's later events and writes
every event's outcome at once (server/reconciliation/store.py).
"""
from dataclasses import dataclass
from typing import Optional

from sqlalchemy import select

from server.answers import data_key
from server.extensions import db
from server.figures import maintain
from server.models import ClassificationReview, Evaluation, FigureContribution, Household, Reconciliation
from server.reconciliation import settings as reconciliation_settings
from server.reconciliation.classify import classify
from server.reconciliation.match import match

# Read by field name when the form carries them (not contract keys): main cause, exit year, village.
EXTRA_FIELDS = ("a6", "exit_year", "village_code")
_CACHE = "fieldcheck.reconciliation.cache"


@dataclass(frozen=True)
class Reconciled:
    """The outcome of reconciling one submission."""

    row: Optional[dict] = None  # its reconciliation row (None for a back-check)
    contribution: Optional[dict] = None  # its interview's contribution after it (None: left alone)
    moves: tuple = ()  # [(area, counter change)] for the village aggregates
    backcheck: Optional[tuple] = None  # (target, submission id, comparison) of a back-check


def reconcile(submission, run, batch, known, status_changed=False):
    """Reconcile `submission` (answers parsed, rules run: `run` is its current run) with the recusal
    loader's `batch` and the figures' `known` rows. Returns Reconciled, or None when there is nothing to
    read (encrypted). A back-check is compared with its original instead (server/backchecks/service.py).
    """
    if submission.encrypted or not submission.answers or submission.answers.get("encrypted"):
        return None
    settings, settings_sha256 = _batch_settings(batch, submission.evaluation_id)
    answers = answers_of(submission, batch)
    household = batch.household_row(run.household_id) if run is not None else None
    if batch.version(submission.form_version_id).form_id == settings["backcheck"]["form_id"]:
        from server.backchecks import service as backcheck_service

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
    contribution, moves = maintain.change(known.contribution(submission), submission, classification,
                                          area_of(household, answers), settings,
                                          known.reviews.get(submission.id, {}))
    return Reconciled(row, contribution, tuple(moves))


def _follow_status(submission, known, settings, status_changed):
    """A contribution of this very submission follows its new status (as server/figures/status_hook.py
    does when the status changes anywhere else)."""
    row = known.contribution(submission)
    if not status_changed or row is None or row["submission_id"] != submission.id:
        return {}
    contribution, moves = maintain.recount(row, maintain.counts(submission, settings))
    return {"contribution": contribution, "moves": tuple(moves)}


class Known:
    """What reconciling a worker batch reads besides its Case batch: its interviews' contributions and the
    supervisors' verdicts, in two queries; `keep` makes an event's contribution the one later events see."""

    def __init__(self, batch):
        ids = list(batch.submissions)
        roots = {s.root_instance_id for s in batch.submissions.values()}
        evaluations = {s.evaluation_id for s in batch.submissions.values()}
        columns = [FigureContribution.__table__.c[name] for name in maintain.COLUMNS]
        # By evaluation too, so the unique index (evaluation, root) finds them.
        rows = db.session.execute(select(*columns).where(FigureContribution.evaluation_id.in_(evaluations),
                                                         FigureContribution.root_instance_id.in_(roots)))
        self.contributions = {(r.evaluation_id, r.root_instance_id): dict(r._mapping) for r in rows}
        self.reviews = {}
        for review in db.session.execute(select(ClassificationReview).where(
                ClassificationReview.submission_id.in_(ids)).order_by(ClassificationReview.id)).scalars():
            self.reviews.setdefault(review.submission_id, {})[review.flag] = review.decision

    def contribution(self, submission):
        return self.contributions.get((submission.evaluation_id, submission.root_instance_id))

    def keep(self, reconciled):
        if reconciled is not None and reconciled.contribution is not None:
            row = reconciled.contribution
            self.contributions[(row["evaluation_id"], row["root_instance_id"])] = row


def refresh_figures(submission):
    """Recompute the submission's contribution from its stored classification (after a verdict)."""
    row = db.session.get(Reconciliation, submission.id)
    if row is None:
        return None
    household = db.session.get(Household, row.household_id) if row.household_id else None
    answers = {"village_code": _stored_village(submission)}
    settings = _settings(submission.evaluation_id)
    return maintain.update(submission, row.classification, area_of(household, answers), settings)


def _stored_village(submission):
    contribution = maintain.contribution_of(submission.evaluation_id, submission.root_instance_id)
    return contribution.village_code if contribution is not None else None


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


def area_of(household, answers):
    """The interview's place: the household's, else the village code answered on the cover page."""
    if household is not None:
        return {"county_code": household.county_code or "", "township_code": household.township_code or "",
                "village_code": household.village_code or "", "county": household.county,
                "township": household.township, "village": household.village}
    code = str(answers.get("village_code") or "")
    code = code if code.isdigit() and len(code) == 12 else ""
    names = _village_names(code) if code else ("", "", "")
    return {"county_code": code[:6], "township_code": code[:9], "village_code": code,
            "county": names[0], "township": names[1], "village": names[2]}


def _cache():
    return db.session.info.setdefault(_CACHE, {})


def _village_names(code):
    cache = _cache()
    if ("village", code) not in cache:
        row = db.session.execute(select(Household.county, Household.township, Household.village)
                                 .where(Household.village_code == code).limit(1)).first()
        cache[("village", code)] = tuple(row) if row else ("", "", "")
    return cache[("village", code)]


def _settings(evaluation_id):
    return reconciliation_settings.effective(db.session.get(Evaluation, evaluation_id).settings)

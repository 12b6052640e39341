"""Reconcile a submission: load its answers and its household's record, match, classify, keep the result,
and move the figures. Safe to re-run: the result is recomputed and overwritten, and the figures take
the difference from the interview's previous contribution (never a second one).

Domain code: it adds to the session, the caller commits.
"""
from sqlalchemy import select

from server.extensions import db
from server.figures import maintain
from server.models import (ClassificationReview, Evaluation, FigureContribution, Form, FormVersion, Household,
                           Reconciliation)
from server.reconciliation import settings as reconciliation_settings
from server.reconciliation.classify import classify
from server.reconciliation.match import match
from server.recusal import snapshot

# Read by field name when the form carries them (not contract keys): main cause, exit year, village.
EXTRA_FIELDS = ("a6", "exit_year", "village_code")
_CACHE = "fieldcheck.reconciliation.cache"
_KNOWN = "fieldcheck.reconciliation.known"


def reconcile(submission, batch, trigger=""):
    """Reconcile `submission` (answers parsed, rules run) using the recusal loader's `batch`.

    Returns the Reconciliation row, or None when there is nothing to read (encrypted) or the submission
    is a back-check (compared with its original instead, see server/backchecks/service.py).
    """
    if submission.encrypted or not submission.answers or submission.answers.get("encrypted"):
        return None
    settings = _settings(submission.evaluation_id)
    answers = answers_of(submission, batch)
    run = batch.runs.get(submission.id)
    household = db.session.get(Household, run.household_id) if run is not None and run.household_id else None
    if _form_id(submission.form_version_id) == settings["backcheck"]["form_id"]:
        from server.backchecks import service as backcheck_service

        backcheck_service.record(submission, answers, household, settings)
        return None
    record = household.record if household is not None else None
    comparisons = match(answers, record, settings)
    classification = classify(answers, record, settings)
    known = _prefetched(batch)
    key = (submission.evaluation_id, submission.root_instance_id)
    row = known.live(known.reconciliations, submission.id,
                     lambda: db.session.get(Reconciliation, submission.id))
    contribution = known.live(known.contributions, key,
                              lambda: maintain.contribution_of(*key))
    if row is None:
        row = Reconciliation(submission_id=submission.id, evaluation_id=submission.evaluation_id)
        db.session.add(row)
    row.household_id = household.id if household is not None else None
    row.household_type = classification["household_type"]
    row.comparisons, row.classification = comparisons, classification
    row.settings_sha256 = reconciliation_settings.sha256(settings)
    contribution = maintain.update(submission, classification, area_of(household, answers), settings,
                                   reviews=known.reviews.get(submission.id, {}), contribution=contribution)
    # Later events of this batch (an edit, a re-check) must find the rows made here.
    known.reconciliations[submission.id] = row
    if contribution is not None:
        known.contributions[key] = contribution
    return row


class _Known:
    """The rows a worker batch will need, read in three queries instead of three per submission."""

    def __init__(self, batch):
        self.batch = batch
        ids = list(batch.submissions)
        roots = {s.root_instance_id for s in batch.submissions.values()}
        self.reconciliations = {r.submission_id: r for r in db.session.execute(
            select(Reconciliation).where(Reconciliation.submission_id.in_(ids))).scalars()}
        self.contributions = {(c.evaluation_id, c.root_instance_id): c for c in db.session.execute(
            select(FigureContribution).where(FigureContribution.root_instance_id.in_(roots))).scalars()}
        self.reviews = {}
        for review in db.session.execute(select(ClassificationReview).where(
                ClassificationReview.submission_id.in_(ids)).order_by(ClassificationReview.id)).scalars():
            self.reviews.setdefault(review.submission_id, {})[review.flag] = review.decision

    @staticmethod
    def live(known, key, read):
        """The row remembered for `key`, unless an earlier event's rollback took it out of the session."""
        row = known.get(key)
        if row is not None and row not in db.session:
            row = known[key] = read()
        return row


def _prefetched(batch):
    known = db.session.info.get(_KNOWN)
    if known is None or known.batch is not batch:
        known = db.session.info[_KNOWN] = _Known(batch)
    return known


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
    fields = dict(batch.fields_of(submission.form_version_id))
    version = batch.versions.get(submission.form_version_id) or db.session.get(FormVersion,
                                                                               submission.form_version_id)
    by_name = {}
    for field in version.fields or ():
        by_name.setdefault(field.get("name"), []).append(field.get("path"))
    for name in EXTRA_FIELDS:
        if name not in fields and len(by_name.get(name, ())) == 1:
            fields[name] = by_name[name][0]
    return snapshot.answers_by_key((submission.answers or {}).get("data") or {}, fields)


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


def _form_id(version_id):
    cache = _cache()
    if ("form", version_id) not in cache:
        cache[("form", version_id)] = db.session.execute(
            select(Form.xml_form_id).join(FormVersion, FormVersion.form_id == Form.id)
            .where(FormVersion.id == version_id)).scalar()
    return cache[("form", version_id)]


def _settings(evaluation_id):
    return reconciliation_settings.effective(db.session.get(Evaluation, evaluation_id).settings)

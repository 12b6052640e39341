"""Reconcile a submission: load its answers and its household's record, match, classify, keep the result,
and move the figures. Safe to re-run: the result is recomputed and overwritten, and the figures take
the difference from the interview's previous contribution (never a second one).

Domain code: it adds to the session, the caller commits.
"""
from sqlalchemy import select

from server.extensions import db
from server.figures import maintain
from server.models import Evaluation, Form, FormVersion, Household, Reconciliation
from server.reconciliation import settings as reconciliation_settings
from server.reconciliation.classify import classify
from server.reconciliation.match import match
from server.recusal import snapshot

# Read by field name when the form carries them (not contract keys): main cause, exit year, village.
EXTRA_FIELDS = ("a6", "exit_year", "village_code")
_CACHE = "fieldcheck.reconciliation.cache"


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
    row = db.session.get(Reconciliation, submission.id)
    if row is None:
        row = Reconciliation(submission_id=submission.id, evaluation_id=submission.evaluation_id)
        db.session.add(row)
    row.household_id = household.id if household is not None else None
    row.household_type = classification["household_type"]
    row.comparisons, row.classification = comparisons, classification
    row.settings_sha256 = reconciliation_settings.sha256(settings)
    maintain.update(submission, classification, area_of(household, answers), settings)
    return row


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

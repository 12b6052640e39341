"""Back-checks: draw a seeded share of each enumerator's interviews, assign each to a different enumerator
(who gets the household on their phone like any assignment: the register, never the original answers),
and compare the back-check with the original when it arrives (a worker step). Domain code: the caller commits.
"""
import math
import random
import secrets

from sqlalchemy import select

from server.accounts import audit
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.progress import unwatched
from server.infra.extensions import db
from server.households import assignments as household_assignments
from server.models import (BackcheckDraw, BackcheckTarget, Enumerator, Form, FormVersion, Reconciliation,
                           Submission, reaches)
from server.backchecks.compare import compare
from server.models.types import utcnow
from server.evaluation_settings.reconciliation import effective
from server.recusal import snapshot
from server.submissions import sealed
from server.models import Household


def candidates(evaluation, settings):
    """{enumerator_id: [(submission id, root id, household id)]}: current, counting, reconciled interviews of
    registered households with the interview form, not drawn before."""
    drawn = select(BackcheckTarget.original_root_id).where(BackcheckTarget.evaluation_id == evaluation.id)
    rows = db.session.execute(
        select(Submission.id, Submission.root_instance_id, Submission.enumerator_id,
               Reconciliation.household_id)
        .join(Reconciliation, Reconciliation.submission_id == Submission.id)
        .join(FormVersion, FormVersion.id == Submission.form_version_id)
        .join(Form, Form.id == FormVersion.form_id)
        .where(Submission.evaluation_id == evaluation.id, Submission.current.is_(True),
               Submission.review_status.in_(settings["count_statuses"]),
               Submission.enumerator_id.is_not(None), Reconciliation.household_id.is_not(None),
               Form.xml_form_id == settings["backcheck"]["interview_form_id"],
               Submission.root_instance_id.not_in(drawn))
        .order_by(Submission.id)).all()
    out = {}
    for row in rows:
        out.setdefault(row.enumerator_id, []).append((row.id, row.root_instance_id, row.household_id))
    return out


def draw(evaluation, actor, share=None, seed=None, backcheckers=None, progress=unwatched):
    """Draw ceil(share × n) of each enumerator's n undrawn interviews (seeded: the same seed and data give
    the same draw) and assign each to another enumerator. Returns (BackcheckDraw, [BackcheckTarget]).

    `backcheckers`: usernames of the back-check team (default: every other active enumerator that gets the
    back-check questionnaire: its teams, when it goes to chosen teams only).
    `row.unassigned` lists the enumerators whose drawn interviews got no back-checker, and why.
    Raises Problem backcheck.no_backcheckers (422). `progress` (server/infra/progress.py) hears of each
    enumerator's interviews drawn.
    """
    settings = effective(evaluation.settings)
    share = float(share if share is not None else settings["backcheck"]["share"])
    if not 0 < share <= 1:
        raise Problem("backcheck.bad_share", msg("The share is a number above 0 and at most 1."), 422)
    seed = seed or secrets.token_hex(8)
    pool = _pool(evaluation, backcheckers, settings["backcheck"]["form_id"])
    row = BackcheckDraw(evaluation_id=evaluation.id, seed=seed, share=share, actor=actor)
    db.session.add(row)
    db.session.flush()
    targets, row.unassigned = [], []
    drawn_from = sorted(candidates(evaluation, settings).items())
    progress(0, len(drawn_from), msg("drawing the interviews of each enumerator"))
    for done, (enumerator_id, interviews) in enumerate(drawn_from, 1):
        rng = random.Random(f"{seed}:{enumerator_id}")
        chosen = sorted(rng.sample(interviews, math.ceil(share * len(interviews))))
        missed = 0
        for submission_id, root, household_id in chosen:
            target = _target(evaluation, row, rng, pool, enumerator_id, (submission_id, root, household_id),
                             actor)
            if target is not None:
                targets.append(target)
            else:
                missed += 1
        if missed:
            row.unassigned.append(_unassigned(enumerator_id, pool, missed))
        progress(done, len(drawn_from), msg("drawing the interviews of each enumerator"))
    audit.record(actor, "backcheck.draw", f"evaluation:{evaluation.code}",
                 {"seed": seed, "share": share, "targets": len(targets), "unassigned": row.unassigned},
                 evaluation.id)
    return row, targets


def _unassigned(enumerator_id, pool, missed):
    """What a draw says about an enumerator whose drawn interviews found no back-checker (a one-person
    team, or the recusal rules refuse every other enumerator): never a silent nothing."""
    others = [e for e in pool if e.id != enumerator_id]
    why = ("no other enumerator in the back-check team" if not others
           else "the recusal rules refuse every other enumerator for these households")
    return {"enumerator": db.session.get(Enumerator, enumerator_id).username, "interviews": missed,
            "reason": why}


def _pool(evaluation, usernames, form_id):
    query = select(Enumerator).where(Enumerator.evaluation_id == evaluation.id, Enumerator.active.is_(True))
    if usernames:
        query = query.where(Enumerator.username.in_(usernames))
    pool = db.session.execute(query.order_by(Enumerator.id)).scalars().all()
    if not usernames:  # a back-checker must be someone the back-check questionnaire reaches
        audience = db.session.execute(select(Form.audience).where(Form.evaluation_id == evaluation.id,
                                                                  Form.xml_form_id == form_id)).scalar()
        pool = [e for e in pool if reaches(audience, e.team)]
    if not pool:
        raise Problem("backcheck.no_backcheckers", msg("No enumerator is available for back-checks."), 422)
    return pool


def _target(evaluation, draw_row, rng, pool, enumerator_id, interview, actor):
    """Assign the back-check to the first other enumerator (in a seeded order) the recusal rules allow."""
    submission_id, root, household_id = interview
    household = db.session.get(Household, household_id)
    others = [e for e in pool if e.id != enumerator_id]
    rng.shuffle(others)
    for checker in others:
        try:
            assignment = household_assignments.assign(evaluation, checker, actor, household=household)
        except Problem as problem:
            if problem.code != "assignment.exists":
                continue  # refused by recusal: try the next one
            assignment = None
        target = BackcheckTarget(evaluation_id=evaluation.id, draw_id=draw_row.id,
                                 original_submission_id=submission_id, original_root_id=root,
                                 enumerator_id=enumerator_id, household_id=household_id,
                                 backchecker_id=checker.id, assignment_id=assignment and assignment.id)
        db.session.add(target)
        return target
    return None


def record(submission, answers, household, settings):
    """Compare an arriving back-check with the original interview of its target (matched by household and
    back-checker, else household). A back-check no target expects is left alone."""
    found = comparison_of(submission, answers, household, settings)
    if found is None:
        return None
    keep_comparison(*found)
    return found[0]


def comparison_of(submission, answers, household, settings):
    """(target, submission id, comparison) for `record`, read but not yet kept (the worker keeps it
    with its batch); None when no target expects this back-check."""
    if household is None:
        return None
    targets = db.session.execute(select(BackcheckTarget).where(
        BackcheckTarget.evaluation_id == submission.evaluation_id,
        BackcheckTarget.household_id == household.id)).scalars().all()
    target = next((t for t in targets if t.backchecker_id == submission.enumerator_id), None)
    if target is None:
        return None
    original = db.session.get(Submission, target.original_submission_id)
    return target, submission.id, compare(answers_by_key(original), answers, settings["backcheck"]["fields"])


def keep_comparison(target, submission_id, comparison):
    target.backcheck_submission_id = submission_id
    target.comparison = comparison
    target.compared_at = utcnow()


def answers_by_key(submission):
    """{contract key: answer} of any stored submission (its version's contract and the form's field map)."""
    version = db.session.get(FormVersion, submission.form_version_id)
    form_map = db.session.execute(select(Form.field_map).where(Form.id == version.form_id)).scalar()
    fields = snapshot.contract_fields(version.contract, version.fields, form_map)
    return snapshot.answers_by_key((sealed.opened(submission.answers) or {}).get("data") or {}, fields)

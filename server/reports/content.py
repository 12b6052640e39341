"""The report's content as one plain document (dict), read from the existing services. Domain code."""
from sqlalchemy import func, select

from server.backchecks import queries as backcheck_queries
from server.evaluation_settings.reconciliation import effective
from server.exports.flatten import reconciliation_summary
from server.figures import evidence, read
from server.infra.extensions import db
from server.models import (ClassificationReview, Enumerator, FigureContribution, Household, Reconciliation,
                           RuleFinding, Sample, SampleUnit, Submission)
from server.models.types import utcnow
from server.recusal import status
from server.recusal.types import FOUND

LEVELS = ("county", "township", "village")
# The figure whose numerator lists the households of each flag.
FLAG_FIGURES = (("wrongly_registered", "wrongly_registered_rate"), ("missed", "missed_rate"),
                ("wrongly_exited", "wrongly_exited_rate"))


def build(evaluation, language="zh"):
    settings = effective(evaluation.settings)
    figures = {level: read.figures(evaluation, level) for level in LEVELS}
    return {
        "evaluation": {"code": evaluation.code, "name": evaluation.name},
        "language": language, "generated_at": utcnow(),
        "overall": read.figures(evaluation, "evaluation")["areas"][0],
        "figures": figures, "assumptions": figures["county"]["assumptions"],
        "households": flagged_households(evaluation),
        "findings_by_rule": findings_by_rule(evaluation),
        "findings_by_enumerator": findings_by_enumerator(evaluation),
        "backchecks": backcheck_queries.report(evaluation),
        "method": method(evaluation, settings),
    }


def flagged_households(evaluation):
    """[{flag, instance_id, household, village_code, persons, status, reasons, differences, reviews}]:
    the interviews in the numerator of 错评率, 漏评率 and 错退率, with the evidence behind each."""
    out = []
    for flag, figure in FLAG_FIGURES:
        for item in _all_interviews(evaluation, figure):
            out.append({"flag": flag, **item})
    ids = {i["instance_id"] for i in out}
    details = _details(evaluation, ids)
    for item in out:
        detail = details.get(item["instance_id"], {})
        item.update(household=detail.get("household"), enumerator=detail.get("enumerator"),
                    reasons=detail.get("flags", {}).get(item["flag"], {}).get("reasons", []),
                    verdict=detail.get("flags", {}).get(item["flag"], {}).get("verdict"),
                    differences=detail.get("differences"),
                    reviews=detail.get("reviews", {}).get(item["flag"], []))
    return out


def _all_interviews(evaluation, figure):
    after = None
    while True:
        items, after = evidence.interviews(evaluation, figure, "numerator", after=after,
                                           limit=evidence.PAGE_MAX)
        yield from items
        if after is None:
            return


def _details(evaluation, instance_ids):
    if not instance_ids:
        return {}
    rows = db.session.execute(
        select(Submission.id, Submission.instance_id, Household.archive_id, Enumerator.username,
               Reconciliation.classification, Reconciliation.comparisons)
        .join(Reconciliation, Reconciliation.submission_id == Submission.id)
        .outerjoin(Household, Household.id == Reconciliation.household_id)
        .outerjoin(Enumerator, Enumerator.id == Submission.enumerator_id)
        .where(Submission.evaluation_id == evaluation.id, Submission.instance_id.in_(instance_ids)))
    rows = rows.all()
    verdicts = _reviews([r.id for r in rows])
    details = {}
    for r in rows:
        reviews = verdicts.get(r.id, {})
        flags = r.classification.get("flags") or {}
        details[r.instance_id] = {"household": r.archive_id, "enumerator": r.username, "flags": flags,
                                  "differences": reconciliation_summary(r.comparisons), "reviews": reviews}
    return details


def _reviews(submission_ids):
    """{submission id: {flag: [{decision, reason, actor, decided_at}]}}, oldest first (the last one holds)."""
    found = {}
    rows = db.session.execute(select(ClassificationReview).where(
        ClassificationReview.submission_id.in_(submission_ids)).order_by(ClassificationReview.id)).scalars()
    for review in rows:
        found.setdefault(review.submission_id, {}).setdefault(review.flag, []).append(
            {"decision": review.decision, "reason": review.reason, "actor": review.actor,
             "decided_at": review.decided_at})
    return found


def findings_by_rule(evaluation):
    rows = db.session.execute(
        select(RuleFinding.code, RuleFinding.severity, func.max(RuleFinding.title_zh),
               func.max(RuleFinding.title_en),
               func.count(func.distinct(RuleFinding.submission_id)))
        .where(RuleFinding.evaluation_id == evaluation.id, RuleFinding.current.is_(True),
               RuleFinding.outcome == FOUND)
        .group_by(RuleFinding.code, RuleFinding.severity).order_by(RuleFinding.code))
    return [{"code": code, "severity": severity, "title_zh": zh, "title_en": en, "interviews": n}
            for code, severity, zh, en, n in rows]


def findings_by_enumerator(evaluation):
    """[{enumerator, interviews, flagged, codes: {code: n}}] over current submissions."""
    interviews = dict(db.session.execute(
        select(Enumerator.username, func.count(Submission.id)).join(Submission, Submission.enumerator_id ==
                                                                    Enumerator.id)
        .where(Submission.evaluation_id == evaluation.id, Submission.current.is_(True))
        .group_by(Enumerator.username)).all())
    rows = db.session.execute(
        select(Enumerator.username, RuleFinding.code, func.count(func.distinct(RuleFinding.submission_id)))
        .join(Submission, Submission.id == RuleFinding.submission_id)
        .join(Enumerator, Enumerator.id == Submission.enumerator_id)
        .where(RuleFinding.evaluation_id == evaluation.id, RuleFinding.current.is_(True),
               RuleFinding.outcome == FOUND)
        .group_by(Enumerator.username, RuleFinding.code))
    codes = {}
    for username, code, n in rows:
        codes.setdefault(username, {})[code] = n
    return [{"enumerator": name, "interviews": interviews.get(name, 0), "codes": codes.get(name, {}),
             "findings": sum(codes.get(name, {}).values())} for name in sorted(set(interviews) | set(codes))]


def method(evaluation, settings):
    """The sample, the weights (none), which interviews count and what was left out, and why."""
    statuses = {}
    for review_status, encrypted, n in db.session.execute(
            select(Submission.review_status, Submission.encrypted, func.count())
            .where(Submission.evaluation_id == evaluation.id, Submission.current.is_(True))
            .group_by(Submission.review_status, Submission.encrypted)):
        key = status.listed(review_status, encrypted)  # encrypted_not_checked apart from unchecked
        statuses[key] = statuses.get(key, 0) + n
    counted = db.session.execute(select(func.count()).select_from(FigureContribution).where(
        FigureContribution.evaluation_id == evaluation.id, FigureContribution.counts.is_(True))).scalar()
    excluded_codes = db.session.execute(
        select(RuleFinding.code, func.count(func.distinct(RuleFinding.submission_id)))
        .join(Submission, Submission.id == RuleFinding.submission_id)
        .where(Submission.evaluation_id == evaluation.id, Submission.current.is_(True),
               Submission.review_status == "excluded", RuleFinding.current.is_(True),
               RuleFinding.outcome == FOUND, RuleFinding.severity == "exclude")
        .group_by(RuleFinding.code).order_by(RuleFinding.code)).all()
    reviews = db.session.execute(select(ClassificationReview.flag, ClassificationReview.decision,
                                        func.count())
                                 .where(ClassificationReview.evaluation_id == evaluation.id)
                                 .group_by(ClassificationReview.flag, ClassificationReview.decision)).all()
    return {"samples": _samples(evaluation), "weights": None,
            "count_statuses": settings["count_statuses"],
            "interviews_by_status": {(k or "unchecked"): v for k, v in sorted(statuses.items(), key=str)},
            "interviews_counted": counted, "interviews": sum(statuses.values()),
            "excluded_by_rule": [{"code": c, "interviews": n} for c, n in excluded_codes],
            "classification_reviews": [{"flag": f, "decision": d, "count": n} for f, d, n in reviews],
            "thresholds": settings.get("thresholds") or {}}


def _samples(evaluation):
    rows = db.session.execute(
        select(Sample.name, Sample.seed, Sample.design, Sample.created_at, func.count(SampleUnit.id))
        .outerjoin(SampleUnit, SampleUnit.sample_id == Sample.id)
        .where(Sample.evaluation_id == evaluation.id).group_by(Sample.id).order_by(Sample.id))
    return [{"name": name, "seed": seed, "design": design, "created_at": created, "units": units}
            for name, seed, design, created, units in rows]

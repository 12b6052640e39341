"""The interviews behind a figure: which contributions make its numerator or its denominator, paged.

Reads the contribution rows of the area (indexed by evaluation and village or county), not all submissions.
"""
from sqlalchemy import and_, select

from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import FigureContribution as C
from server.models import Submission

# figure -> (numerator condition, denominator condition) over the contribution columns.
PARTS = {
    "wrongly_exited_rate": (lambda: C.wrongly_exited_households > 0, lambda: C.exited_households > 0),
    "exit_accuracy": (lambda: and_(C.exited_households > 0, C.wrongly_exited_households == 0),
                      lambda: C.exited_households > 0),
    "missed_rate": (lambda: C.missed_households > 0, lambda: C.nonregistered_households > 0),
    "wrongly_registered_rate": (lambda: C.wrongly_registered_households > 0,
                                lambda: C.registered_households > 0),
    "identification_accuracy": (
        lambda: and_(C.households > 0, C.wrongly_registered_households == 0, C.missed_households == 0),
        lambda: (C.registered_households + C.nonregistered_households) > 0),
    "identification_accuracy_households": (
        lambda: and_(C.households > 0, C.wrongly_registered_households == 0, C.missed_households == 0),
        lambda: (C.registered_households + C.nonregistered_households) > 0),
    "identification_accuracy_1_minus_wrongly_registered": (
        lambda: and_(C.registered_households > 0, C.wrongly_registered_households == 0),
        lambda: C.registered_households > 0),
    "identification_accuracy_1_minus_wrongly_registered_households": (
        lambda: and_(C.registered_households > 0, C.wrongly_registered_households == 0),
        lambda: C.registered_households > 0),
    "endorsement_rate": (lambda: C.endorsed > 0, lambda: C.endorsement_answered > 0),
    "work_team_satisfaction": (lambda: C.work_team_satisfied > 0, lambda: C.work_team_answered > 0),
    "helper_satisfaction": (lambda: C.helper_satisfied > 0, lambda: C.helper_answered > 0),
    "response_rate": (lambda: C.refused == 0, lambda: C.interviews > 0),
}
PAGE_MAX = 500


def interviews(evaluation, figure, part="numerator", area=None, after=None, limit=100):
    """([{instance_id, village_code, persons, status}], next cursor) of the interviews behind a figure.

    Raises Problem figures.unknown_figure (404), figures.bad_part / figures.bad_area (422).
    """
    if figure not in PARTS:
        raise Problem("figures.unknown_figure", msg("There is no figure %(figure)r.", figure=figure), 404)
    if part not in ("numerator", "denominator"):
        raise Problem("figures.bad_part", msg("The part is numerator or denominator."), 422)
    condition = PARTS[figure][0 if part == "numerator" else 1]()
    # What counts (server/figures/contribution.py aggregate): a status that counts, not a duplicate, and
    # (except for the response rate) not a refusal.
    counting = [C.counts.is_(True), C.duplicate_of.is_(None), C.status != "excluded"]
    if figure != "response_rate":
        counting.append(C.refused == 0)
    query = (select(C.id, Submission.instance_id, C.village_code, C.persons, Submission.review_status)
             .join(Submission, Submission.id == C.submission_id)
             .where(C.evaluation_id == evaluation.id, *counting, condition))
    if area:
        column = {6: C.county_code, 9: C.township_code, 12: C.village_code}.get(len(area))
        if column is None:
            raise Problem("figures.bad_area",
                          msg("An area is a 6-, 9- or 12-digit county, township or village "
                              "code."), 422)
        query = query.where(column == area)
    if after:
        query = query.where(C.id > after)
    limit = max(1, min(int(limit), PAGE_MAX))
    rows = db.session.execute(query.order_by(C.id).limit(limit + 1)).all()
    items = [{"instance_id": r.instance_id, "village_code": r.village_code, "persons": r.persons,
              "status": r.review_status} for r in rows[:limit]]
    return items, (rows[limit - 1].id if len(rows) > limit else None)

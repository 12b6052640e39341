"""Where an interview was taken against where its household is registered and its village's centre."""
from sqlalchemy import func, select

from server.infra.extensions import db
from server.models import Household, InterviewFact
from server.recusal.measure import distance_km
from server.recusal.types import Point


def interview_location(submission):
    """{gps, household, village_centre: Point or None, household_m, village_m: metres or None}."""
    fact = db.session.get(InterviewFact, submission.id)
    gps = _point(fact.latitude, fact.longitude) if fact else None
    household = db.session.get(Household, fact.household_id) if fact and fact.household_id else None
    home = _point(household.latitude, household.longitude) if household else None
    centre = village_centre(submission.evaluation_id, household.village_code) if household else None
    return {"gps": gps, "household": home, "village_centre": centre,
            "household_m": _metres(gps, home), "village_m": _metres(gps, centre)}


def village_centre(evaluation_id, village_code):
    """The mean registered location of the village's households (what the rules call its centre).

    The register keeps codes nested (households/schema.py: a village code starts with its township's,
    which starts with its county's), so the village is named with its prefixes too: the index
    (evaluation_id, county_code, township_code, village_code) then finds its households."""
    lat, lon = db.session.execute(
        select(func.avg(Household.latitude), func.avg(Household.longitude))
        .where(Household.evaluation_id == evaluation_id, Household.county_code == village_code[:6],
               Household.township_code == village_code[:9], Household.village_code == village_code,
               Household.latitude.is_not(None), Household.withdrawn_at.is_(None))).one()
    return _point(lat, lon)


def _point(lat, lon):
    return Point(float(lat), float(lon)) if lat is not None and lon is not None else None


def _metres(a, b):
    return round(distance_km(a, b) * 1000) if a is not None and b is not None else None

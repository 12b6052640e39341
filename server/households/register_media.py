"""The register on the phone: a media CSV of one enumerator's assigned households, for ODK Collect.

Collect's select_one_from_file / pulldata() read `name` (the value, here the QR token) and `label`.
Only the columns a form needs go out, and never an ID number (architecture decision 8). With
`evaluation.settings["blind"]` the register values the interview asks about are left out, so the
answers are not anchored to the record.
"""
import csv
import hashlib
import io

from sqlalchemy import or_, select

from server.errors import Problem
from server.extensions import db
from server.models import Assignment, Household, HouseholdToken

REGISTER_MEDIA_NAME = "fc_households.csv"
# What identifies a household at the door: always allowed.
IDENTITY = ("token", "archive_id", "county", "township", "village", "village_code", "group", "head_name")
# Register values the questionnaire asks about: allowed, but dropped in blind mode.
REGISTER_VALUES = ("member_count", "status", "registration_year", "exit_year", "poverty_attribute",
                   "main_cause", "phone")
DEFAULT_FIELDS = ("token", "village", "head_name")


def register_csv(enumerator, fields=DEFAULT_FIELDS):
    """CSV bytes: `name` (the token), `label`, then `fields` (minus blinded ones), one row per household.

    Rows are ordered by archive id, so unchanged content gives the same bytes (and md5).
    Raises Problem register.field_not_allowed (422) for ID numbers or unknown fields.
    """
    columns = _columns(enumerator.evaluation.settings, fields)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "label", *columns])
    for household, token in assigned_households(enumerator):
        values = {"token": token, **_values(household)}
        label = " · ".join(str(values[c]) for c in ("head_name", "village") if c in columns) or token
        writer.writerow([token, label, *("" if values[c] is None else values[c] for c in columns)])
    return out.getvalue().encode("utf-8")


def register_md5(enumerator, fields=DEFAULT_FIELDS):
    """The manifest hash of the file, `md5:<hex>`, as OpenRosa expects."""
    return "md5:" + hashlib.md5(register_csv(enumerator, fields)).hexdigest()


def _columns(settings, fields):
    unknown = [f for f in fields if f not in IDENTITY + REGISTER_VALUES]
    if unknown:
        raise Problem("register.field_not_allowed",
                      f"These fields cannot go to a phone: {', '.join(unknown)}", 422)
    blind = settings.get("blind")
    hidden = set(REGISTER_VALUES) if blind is True else set(blind or ())
    return [f for f in fields if f != "token" and f not in hidden]


def _values(household):
    record = household.record or {}
    names = IDENTITY[1:] + REGISTER_VALUES
    values = {c: getattr(household, c) for c in names if hasattr(household, c)}
    values.update({k: record.get(k) for k in ("group", "poverty_attribute", "main_cause", "phone")})
    return values


def assigned_households(enumerator):
    """[(household, live token)] assigned directly or through a village, active, by archive id."""
    live = select(Assignment).where(Assignment.enumerator_id == enumerator.id,
                                    Assignment.revoked_at.is_(None)).subquery()
    direct = select(live.c.household_id).where(live.c.household_id.isnot(None))
    villages = select(live.c.village_code).where(live.c.village_code.isnot(None))
    rows = db.session.execute(
        select(Household, HouseholdToken.token).join(HouseholdToken)
        .where(Household.evaluation_id == enumerator.evaluation_id, Household.withdrawn_at.is_(None),
               HouseholdToken.revoked_at.is_(None),
               or_(Household.id.in_(direct), Household.village_code.in_(villages)))
        .order_by(Household.archive_id, HouseholdToken.id)).all()
    latest = {}
    for household, token in rows:
        latest[household.archive_id] = (household, token)
    return list(latest.values())

"""The register on the phone: a media CSV of one enumerator's assigned households, for ODK Collect.

Collect's select_one_from_file / pulldata() read `name` (the value, here the QR token) and `label`.
Only the columns a form needs go out, and never an ID number (architecture decision 8). With
`evaluation.settings["blind"]` the register values the interview asks about are left out, so the
answers are not anchored to the record.
"""
import csv
import hashlib
import io
from collections import OrderedDict

from flask import current_app
from sqlalchemy import or_, select

from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Assignment, Household, HouseholdToken

REGISTER_MEDIA_NAME = "fc_households.csv"
# What identifies a household at the door: always allowed.
IDENTITY = ("token", "archive_id", "county", "township", "village", "village_code", "group", "head_name")
# Register values the questionnaire asks about: allowed, but dropped in blind mode.
REGISTER_VALUES = ("member_count", "status", "registration_year", "exit_year", "poverty_attribute",
                   "main_cause", "phone")
DEFAULT_FIELDS = ("token", "village", "head_name")
# Made files kept per process, by enumerator (a phone's sync asks for one per form): about 300 KB each
# for 5,000 households.
_CACHE, _CACHE_SIZE = "fieldcheck.register_files", 16


def register_csv(enumerator, fields=DEFAULT_FIELDS):
    """CSV bytes: `name` (the token), `label`, then `fields` (minus blinded ones), one row per household.

    Rows are ordered by archive id, so unchanged content gives the same bytes (and md5).
    Raises Problem register.field_not_allowed (422) for ID numbers or unknown fields.
    """
    columns = _columns(enumerator.evaluation.settings, fields)
    key = (tuple(columns), _fingerprint(enumerator))
    cache = current_app.extensions.setdefault(_CACHE, OrderedDict())
    hit = cache.get(enumerator.id)
    if hit is not None and hit[0] == key:
        return hit[1]
    data = _render(enumerator, columns)
    cache[enumerator.id] = (key, data)
    cache.move_to_end(enumerator.id)
    while len(cache) > _CACHE_SIZE:
        cache.popitem(last=False)
    return data


def _fingerprint(enumerator):
    """What the file is made of: each assigned household with its live token and change_seq (which
    every change of a household's content moves on). Reading these three numbers per household is
    a third of making the file, and a phone asks for the same file with every manifest."""
    rows = db.session.execute(_assigned(enumerator, select(Household.id, HouseholdToken.id,
                                                           Household.change_seq)))
    return hash(tuple(map(tuple, rows)))


def _render(enumerator, columns):
    labels = [columns.index(c) for c in ("head_name", "village") if c in columns]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "label", *columns])
    for token, values in _assigned_values(enumerator, columns):
        label = " · ".join(str(values[i]) for i in labels) or token
        writer.writerow([token, label, *("" if v is None else v for v in values)])
    return out.getvalue().encode("utf-8")


def register_md5(enumerator, fields=DEFAULT_FIELDS):
    """The manifest hash of the file, `md5:<hex>`, as OpenRosa expects."""
    return "md5:" + hashlib.md5(register_csv(enumerator, fields)).hexdigest()


def _columns(settings, fields):
    unknown = [f for f in fields if f not in IDENTITY + REGISTER_VALUES]
    if unknown:
        raise Problem("register.field_not_allowed",
                      msg("These fields cannot go to a phone: %(names)s.", names=", ".join(unknown)), 422)
    blind = settings.get("blind")
    hidden = set(REGISTER_VALUES) if blind is True else set(blind or ())
    return [f for f in fields if f != "token" and f not in hidden]


# Values kept inside the record rather than in their own column.
_IN_RECORD = ("group", "poverty_attribute", "main_cause", "phone")


def _assigned_values(enumerator, columns):
    """[(live token, [value per column])] per assigned household, by archive id. Only the columns
    asked for are read (the whole record only when one of them lives in it), with no ORM objects:
    a register of 5,000 households is read for every manifest a phone asks for."""
    own = [c for c in columns if c not in _IN_RECORD]
    selected = [Household.archive_id, HouseholdToken.token, *(getattr(Household, c) for c in own)]
    in_record = len(own) < len(columns)
    if in_record:
        selected.append(Household.record)
    place = {c: 2 + i for i, c in enumerate(own)}
    rows, previous = [], None
    for row in db.session.execute(_assigned(enumerator, select(*selected))):
        record = (row[-1] or {}) if in_record else {}
        entry = (row[1], [row[place[c]] if c in place else record.get(c) for c in columns])
        if row[0] == previous:
            rows[-1] = entry  # a household with two live tokens shows its newest
        else:
            rows.append(entry)
        previous = row[0]
    return rows


def _assigned(enumerator, query):
    """`query` (over Household joined with its live tokens) limited to the enumerator's assigned,
    active households, ordered by archive id and token."""
    live = select(Assignment).where(Assignment.enumerator_id == enumerator.id,
                                    Assignment.revoked_at.is_(None)).subquery()
    direct = select(live.c.household_id).where(live.c.household_id.isnot(None))
    villages = select(live.c.village_code).where(live.c.village_code.isnot(None))
    return (query.select_from(Household).join(HouseholdToken)
            .where(Household.evaluation_id == enumerator.evaluation_id, Household.withdrawn_at.is_(None),
                   HouseholdToken.revoked_at.is_(None),
                   or_(Household.id.in_(direct), Household.village_code.in_(villages)))
            .order_by(Household.archive_id, HouseholdToken.id))


def assigned_households(enumerator):
    """[(household, live token)] assigned directly or through a village, active, by archive id."""
    rows = db.session.execute(_assigned(enumerator, select(Household, HouseholdToken.token))).all()
    latest = {}
    for household, token in rows:
        latest[household.archive_id] = (household, token)
    return list(latest.values())

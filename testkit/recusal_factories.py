"""The shipped household interview form, households with cards, enumerators and realistic
interview XML for the recusal tests (and the worker benchmark)."""
import hashlib
import random
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from server.questionnaires import forms_service
from server.pipeline import outbox
from server.infra.extensions import db
from server.households import assignments as household_assignments
from server.households import service as household_service
from server.models import Attachment, FormVersion, Household, HouseholdToken, Submission
from server.recusal.types import CHINA
from testkit.collect_wire import build_instance_xml
from testkit.household_factories import make_record

FORM = Path(__file__).resolve().parents[1] / "forms" / "xlsform" / "household_interview.xlsx"
FORM_ID, FORM_VERSION = "fc_household_interview", "2026120301"
PHOTOS = ("house.jpg", "inside.jpg", "sign.jpg")


def publish_interview_form(evaluation):
    version = forms_service.publish_form(evaluation, FORM.read_bytes(), FORM.name, actor="test")
    db.session.commit()
    return version


def make_households(evaluation, count=3, village=1, start=0, **overrides):
    """[(Household, token)] registered through the register's own import."""
    records = [make_record(start + i, village, **overrides) for i in range(count)]
    household_service.upsert_batch(evaluation, records, actor="test")
    db.session.commit()
    ids = [r["archive_id"] for r in records]
    rows = (db.session.query(Household)
            .filter(Household.evaluation_id == evaluation.id, Household.archive_id.in_(ids))
            .order_by(Household.archive_id).all())
    return [(h, db.session.query(HouseholdToken.token).filter_by(household_id=h.id).scalar()) for h in rows]


def assign(evaluation, enumerator, household, justification=None):
    row = household_assignments.assign(evaluation, enumerator, "test", household=household,
                                       justification=justification, actor_is_admin=True)
    db.session.commit()
    return row


def at(hour, minute=0, day=1, offset_hours=8):
    """An ODK timestamp of 2025-05-<day> <hour>:<minute> China time, written with another offset."""
    moment = datetime(2025, 5, day, hour, minute, tzinfo=CHINA)
    return moment.astimezone(timezone(timedelta(hours=offset_hours))).isoformat(timespec="milliseconds")


def token_seed(token):
    """A number per card token, so households answer differently. A digest, not a character sum: two
    tokens with the same sum answered identically and FAB-01 fired between them now and then."""
    return int(hashlib.sha256((token or "").encode()).hexdigest()[:8], 16)


def interview_fields(token, household=None, start=None, minutes=35, gps=None, present=("respondent",),
                     relation="none", seed=None, enumerator="enum1", photos=PHOTOS, **overrides):
    """The nested field dict of a complete, clean interview of the household with card `token`."""
    seed = seed if seed is not None else token_seed(token)
    rng = random.Random(seed)
    start = start or at(9, 0)
    begin = datetime.fromisoformat(start)
    # The phone's fix is at the dwelling; a household the register has no location for is still somewhere.
    registered = household is not None and household.latitude is not None
    lat, lon = (household.latitude, household.longitude) if registered else (47.18, 119.95)
    fields = {
        "start": start, "end": (begin + timedelta(minutes=minutes)).isoformat(timespec="milliseconds"),
        "today": begin.date().isoformat(), "deviceid": "collect:abcdefgh12345678", "enumerator": enumerator,
        "cover": {"village_code": "150782101201", "village_type": "poor", "partner": "enum2",
                  "gps": gps if gps is not None else f"{lat} {lon} 1200.0 8.0"},
        "card": {"card_status": "has_card" if token else "no_card", "hh_qr": token or ""},
        "consent_grp": {"consent": "yes"},
        "recusal": {"present": " ".join(present), "enum_relation": relation},
        "household": {"head_present": "yes", "hh_type": "exited", "reg_year": "2014", "hh_size": 4,
                      "hh_resident": 3, "a8": "yes", "a9": "no", "a10": "no", "a11": "no", "a12": "no",
                      "a13": "no"},
        "income": {"b1": rng.randrange(5000, 30000), "b2": rng.randrange(0, 4000), "b3": 1230 + seed % 3000,
                   "b4": 0, "b5": 850, "b6": 300, "b7": rng.randrange(1000, 5000), "b8": "4000_6000"},
        "two_worries": {"c1": "yes", "c3": "yes", "c4": "tap", "c5": "enough", "c7": "no"},
        "three_assurances": {"d1": 1, "d2": "no", "d3": "all", "d7": 1, "d10": "grade_a", "d12": "no"},
        "assistance": {"e1": "industry"},
        "endorsement": {"f1": "yes", "f2": "yes", "f3": "5", "f4": "4", "f5": "5"},
        "close": {"photo_house": photos[0] if photos else "", "photo_inside": photos[1] if photos else "",
                  "photo_sign": photos[2] if photos else "", "judgement": "none"},
    }
    for path, value in overrides.items():
        group, _, name = path.rpartition("__")
        (fields[group] if group else fields)[name] = value
    return fields


def interview_xml(fields, instance_id=None):
    """(instance_id, xml bytes) of the shipped form."""
    instance_id = instance_id or f"uuid:{uuid.uuid4()}"
    return instance_id, build_instance_xml(FORM_ID, FORM_VERSION, instance_id, fields)


def submit(evaluation, enumerator, fields, attachments=PHOTOS, instance_id=None):
    """Store a submission as ingest would (row, attachment rows, submission.received event); commits."""
    instance_id, xml = interview_xml(fields, instance_id)
    version = db.session.query(FormVersion).filter(FormVersion.version == FORM_VERSION,
                                                   FormVersion.published_at.is_not(None)).first()
    row = Submission(evaluation_id=evaluation.id, form_version_id=version.id, enumerator_id=enumerator.id,
                     instance_id=instance_id, root_instance_id=instance_id, xml=xml.decode(),
                     xml_sha256=hashlib.sha256(xml).hexdigest())
    db.session.add(row)
    db.session.flush()
    for name in attachments:
        db.session.add(Attachment(submission_id=row.id, name=name, content_type="image/jpeg", size=3,
                                  sha256="0" * 64, path=f"test/{name}"))
    outbox.emit("submission.received", {"submission_id": row.id}, evaluation.id)
    db.session.commit()
    return row

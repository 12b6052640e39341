"""Interviews for the demo evaluation, so a new supervisor sees a living dashboard at once: a few clean
ones and a few the rules flag (a GPS point far from the dwelling, an interview far too short, a village
cadre present), each with photos, stored as Collect would have sent them and queued for the worker."""
import hashlib
import io
import uuid
from datetime import datetime, timedelta

from lxml import etree
from PIL import Image, ImageDraw
from sqlalchemy import select

from server.infra import media_store
from server.pipeline import outbox
from server.infra.extensions import db
from server.models import Assignment, Attachment, Enumerator, Form, Household, HouseholdToken, Submission
from server.recusal.types import CHINA

PHOTOS = ("house.jpg", "inside.jpg", "sign.jpg")
# (minutes, gps offset in degrees, who was present): the rules flag the last three of each enumerator.
SCENES = ((38, 0, "respondent"), (41, 0, "respondent"), (35, 0, "respondent"),
          (36, 0.05, "respondent"), (6, 0, "respondent"), (40, 0, "respondent village_cadre"))


def add_interviews(evaluation):
    """Store the demo interviews and queue them; returns how many. The caller commits."""
    form = db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id,
                                                 Form.xml_form_id == "fc_household_interview")).scalar()
    version = form.current_version
    people = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation.id)
                                .order_by(Enumerator.username)).scalars().all()
    count = 0
    for n, person in enumerate(people):
        households = _assigned_households(evaluation, person)
        for i, (scene, (household, token)) in enumerate(zip(SCENES, households)):
            start = datetime.now(CHINA).replace(hour=9, minute=0, second=0, microsecond=0) \
                - timedelta(days=i % 3) + timedelta(hours=i)
            seed = n * 10 + i
            _store(evaluation, version, person, _answers(person, household, token, start, seed, *scene), seed)
            count += 1
    return count


def _assigned_households(evaluation, person):
    return db.session.execute(
        select(Household, HouseholdToken.token).join(Assignment, Assignment.household_id == Household.id)
        .join(HouseholdToken, HouseholdToken.household_id == Household.id)
        .where(Assignment.enumerator_id == person.id, HouseholdToken.revoked_at.is_(None))
        .order_by(Household.archive_id)).all()


def _answers(person, household, token, start, seed, minutes, offset, present):
    end = start + timedelta(minutes=minutes)
    return {
        "start": start.isoformat(timespec="milliseconds"), "end": end.isoformat(timespec="milliseconds"),
        "today": start.date().isoformat(), "deviceid": f"collect:demo{person.id:012d}",
        "enumerator": person.username,
        "cover": {"village_code": household.village_code, "village_type": "poor_village", "partner": "",
                  "gps": f"{household.latitude + offset} {household.longitude + offset} 1200.0 6.0"},
        "card": {"card_status": "has_card", "hh_qr": token},
        "consent_grp": {"consent": "yes"},
        "recusal": {"present": present, "enum_relation": "none"},
        "household": {"head_present": "yes", "hh_type": "exited", "reg_year": "2014", "hh_size": 4,
                      "hh_resident": 3, "a8": "yes", "a9": "no", "a10": "no", "a11": "no", "a12": "no",
                      "a13": "no"},
        # Households answer differently (identical answers are a fabrication finding of their own).
        "income": {"b1": 21000 + seed * 1370, "b2": 300 * (seed % 5), "b3": 1200 + seed * 77, "b4": 0,
                   "b5": 850 + 10 * seed, "b6": 300, "b7": 1500 + seed * 211, "b8": "4000_6000"},
        "two_worries": {"c1": "yes", "c3": "yes", "c4": "tap", "c5": "enough", "c7": "no"},
        "three_assurances": {"d1": 1, "d2": "no", "d3": "all", "d7": 1, "d10": "grade_a", "d12": "no"},
        "assistance": {"e1": "industry"},
        "endorsement": {"f1": "yes", "f2": "yes", "f3": str(3 + seed % 3), "f4": str(4 + seed % 2),
                        "f5": "5"},
        "close": {"photo_house": PHOTOS[0], "photo_inside": PHOTOS[1], "photo_sign": PHOTOS[2],
                  "judgement": "none"},
    }


def _xml(version, instance_id, fields):
    root = etree.Element("data", nsmap={"jr": "http://openrosa.org/javarosa"})
    root.set("id", "fc_household_interview")
    root.set("version", version.version)
    _add(root, fields)
    etree.SubElement(etree.SubElement(root, "meta"), "instanceID").text = instance_id
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def _add(parent, fields):
    for name, value in fields.items():
        node = etree.SubElement(parent, name)
        if isinstance(value, dict):
            _add(node, value)
        else:
            node.text = str(value)


def _store(evaluation, version, person, fields, seed):
    instance_id = f"uuid:{uuid.UUID(int=seed + 1 + evaluation.id * 1000)}"
    xml = _xml(version, instance_id, fields)
    row = Submission(evaluation_id=evaluation.id, form_version_id=version.id, enumerator_id=person.id,
                     instance_id=instance_id, root_instance_id=instance_id, xml=xml.decode(),
                     xml_sha256=hashlib.sha256(xml).hexdigest(), user_agent="demo")
    db.session.add(row)
    db.session.flush()
    for k, name in enumerate(PHOTOS):
        data = _photo(seed * 3 + k, name)
        temp = media_store.new_temp()
        temp.write(data)
        path = temp.keep(evaluation.id)
        db.session.add(Attachment(submission_id=row.id, name=name, content_type="image/jpeg", size=len(data),
                                  sha256=temp.sha256, path=path))
    outbox.emit("submission.received", {"submission_id": row.id, "complete": True}, evaluation.id)


def _photo(seed, label):
    image = Image.new("RGB", (320, 240), ((seed * 53) % 200 + 30, (seed * 97) % 200 + 30, 150))
    ImageDraw.Draw(image).text((12, 12), f"demo {label}", fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return out.getvalue()

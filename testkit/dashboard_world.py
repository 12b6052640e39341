"""A small evaluation for the dashboard tests: users of every role, households, and interviews (one clean,
one flagged with a photo and a GPS point far from the dwelling, one whose text answer carries a script),
checked by the worker. Built through the domain functions and the worker, not raw inserts."""
import hashlib
import io
import os

from PIL import Image

from server.infra.extensions import db
from server.models import Attachment
from testkit.factories import make_enumerator, make_evaluation, make_user
from testkit.figures_factories import run_worker
from testkit.recusal_factories import (assign, at, interview_fields, make_households, publish_interview_form,
                                       submit)

PASSWORD = "correct horse battery"
XSS = "<script>window.__xss = 1</script><img src=x onerror=\"window.__xss = 2\">"


def photo_bytes(colour=(180, 120, 60)):
    out = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(out, format="JPEG")
    return out.getvalue()


def store_photos(app, submission, data):
    """Write each attachment's bytes into the media store, as ingest would have."""
    for row in db.session.query(Attachment).filter_by(submission_id=submission.id):
        digest = hashlib.sha256(data).hexdigest()
        relative = os.path.join("attachments", str(submission.evaluation_id), digest[:2], digest)
        target = os.path.join(app.config["MEDIA_ROOT"], relative)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "wb") as out:
            out.write(data)
        row.path, row.sha256, row.size, row.content_type = relative, digest, len(data), "image/jpeg"
    db.session.commit()


# Only reviewed interviews count (SurveyCTO's review gate): a flagged one moves the figures once cleared.
REVIEWED_ONLY = {"reconciliation": {"count_statuses": ["clean", "cleared"]}}


def build_world(app):
    evaluation = make_evaluation("county1", settings=REVIEWED_ONLY)
    other = make_evaluation("other", "另一个评估 Other evaluation")
    publish_interview_form(evaluation)
    enumerator, _ = make_enumerator(evaluation, "enum1", county="海淀区", county_code="110108")
    users = {"supervisor": make_user("sup1", "supervisor", evaluation),
             "viewer": make_user("view1", "viewer", evaluation),
             "admin": make_user("adm1", "admin", None),
             "other": make_user("other1", "supervisor", other)}
    households = make_households(evaluation, 3)
    for household, _token in households:
        assign(evaluation, enumerator, household)
    (h1, t1), (h2, t2), (h3, t3) = households
    clean = submit(evaluation, enumerator, interview_fields(t1, h1, start=at(9, 0)))
    far = f"{h2.latitude + 0.05} {h2.longitude + 0.05} 1200.0 8.0"  # ~6 km from the dwelling: GPS-03
    flagged = submit(evaluation, enumerator, interview_fields(t2, h2, start=at(11, 0), gps=far))
    hostile = submit(evaluation, enumerator, interview_fields(t3, h3, start=at(14, 0), cover__partner=XSS))
    run_worker()
    data = photo_bytes()
    for row in (clean, flagged, hostile):
        store_photos(app, row, data)
    return {"evaluation": evaluation, "other": other, "users": users, "clean": clean.instance_id,
            "flagged": flagged.instance_id, "hostile": hostile.instance_id, "photo": data,
            "households": [h.archive_id for h, _ in households]}

"""The form reads behind formList, form download, manifest and media (read-only, narrow queries).

Only `open` forms are listed (with match_exactly, Collect deletes whatever is not listed); a
`closing` form is no longer listed but can still be fetched, a `closed` one cannot. What is served
is always the form's current published version, whose stored md5 is that of the exact bytes.
A form meant for chosen teams (its audience) does not exist for an enumerator of another team: it is
neither listed nor served (the back-check questionnaire never reaches the enumerators it checks).
A form that references the register file (`fc_households.csv`) gets it made for the enumerator
who asks: only their assigned households (server.households.register_media).
"""
import hashlib

from sqlalchemy import exists, select

from server.infra.extensions import db
from server.households.register_media import REGISTER_MEDIA_NAME, register_csv
from server.models import Enumerator, Form, FormMedia, FormVersion, reaches
from server.openrosa.xml import FormEntry, MediaEntry
from server.submissions.refusals import coded

SERVED_STATES = ("open", "closing")


def listed_forms(evaluation_id, xml_form_id=None, team=None):
    """[FormEntry] of the evaluation's open forms meant for `team` (only `xml_form_id` if given)."""
    has_media = exists().where(FormMedia.form_version_id == FormVersion.id)
    query = (select(Form.xml_form_id, Form.title, Form.audience, FormVersion.title.label("version_title"),
                    FormVersion.version, FormVersion.md5, FormVersion.media_names,
                    has_media.label("has_media"))
             .join(FormVersion, FormVersion.id == Form.current_version_id)
             .where(Form.evaluation_id == evaluation_id, Form.state == "open",
                    FormVersion.published_at.is_not(None))
             .order_by(Form.xml_form_id))
    if xml_form_id is not None:
        query = query.where(Form.xml_form_id == xml_form_id)
    return [FormEntry(r.xml_form_id, r.version_title or r.title, r.version or "", r.md5,
                      bool(r.has_media) or REGISTER_MEDIA_NAME in (r.media_names or ()))
            for r in db.session.execute(query) if reaches(r.audience, team)]


def served_version(evaluation_id, xml_form_id, team=None):
    """The current published FormVersion of a form that `team` may download; else form.not_found."""
    found = db.session.execute(
        select(FormVersion, Form.audience).join(Form, FormVersion.id == Form.current_version_id)
        .where(Form.evaluation_id == evaluation_id, Form.xml_form_id == xml_form_id,
               Form.state.in_(SERVED_STATES), FormVersion.published_at.is_not(None))).first()
    if found is None or not reaches(found.audience, team):
        raise coded("form.not_found", form_id=xml_form_id)
    return found[0]


def manifest_entries(version, enumerator_id):
    entries = [MediaEntry(m.filename, m.md5) for m in _media(version.id)]
    register = register_file(version, enumerator_id)
    if register is not None:
        entries.append(MediaEntry(REGISTER_MEDIA_NAME, hashlib.md5(register).hexdigest()))
    return sorted(entries, key=lambda e: e.filename)


def register_file(version, enumerator_id):
    """The register CSV bytes for this enumerator, if the version references the register file."""
    if REGISTER_MEDIA_NAME not in (version.media_names or ()):
        return None
    return register_csv(db.session.get(Enumerator, enumerator_id))


def media_file(version, filename):
    """The FormMedia `filename` of a version; else media.not_found."""
    found = db.session.execute(select(FormMedia).where(FormMedia.form_version_id == version.id,
                                                       FormMedia.filename == filename)).scalar()
    if found is None:
        raise coded("media.not_found", filename=filename)
    return found


def _media(version_id):
    return db.session.execute(select(FormMedia).where(FormMedia.form_version_id == version_id)
                              .order_by(FormMedia.filename)).scalars()

"""Forms of an evaluation: upload (a draft), publish (a new version), media, and open/closing/closed.

Only the caller commits. Every published version stays in the database and keeps accepting
submissions until its form is closed. Raises Problem codes form.* (compile errors keep the
FormError code and details).
"""
import uuid
from datetime import datetime, timezone

from sqlalchemy import select

from forms import FormError, compile_xlsform, contract, stamp_version
from forms.model import CompiledForm
from server import audit, stored_files
from server.errors import Problem
from server.extensions import db
from server.households.register_media import REGISTER_MEDIA_NAME
from server.models import FORM_STATES, Form, FormMedia, FormVersion
from server.models.types import utcnow

# Media that fieldcheck makes per enumerator (the assigned households), so never "missing".
GENERATED_MEDIA = (REGISTER_MEDIA_NAME,)


def compile_source(source, filename, lang="zh", field_map=None):
    """Compile an XLSForm and check its field map; FormError becomes Problem (422) with details."""
    try:
        compiled = compile_xlsform(source, filename, lang=lang)
        report = contract.resolve(compiled, field_map, lang=lang)
    except FormError as error:
        raise Problem(error.code, error.message, 422, error.details) from None
    return compiled, report


def upload_form(evaluation, source, filename, actor, lang="zh", field_map=None, compiled=None):
    """Compile `source` and store it as a draft version of its form (created if new)."""
    if compiled is None:
        compiled, report = compile_source(source, filename, lang, field_map)
    else:
        report = contract.resolve(compiled, field_map, lang=lang)
    form = _form_for(evaluation, compiled, field_map)
    version = FormVersion(form=form, **_version_columns(compiled, report, filename))
    db.session.add(version)
    db.session.flush()
    version.source_path = f"forms/{form.id}/sources/{version.id}-{uuid.uuid4().hex[:8]}"
    _, version.source_sha256 = stored_files.store_bytes(version.source_path, source)
    audit.record(actor, "form.upload", f"form_version:{version.id}",
                 {"form_id": compiled.form_id, "version": compiled.version, "md5": compiled.md5},
                 evaluation.id)
    return version


def publish_version(version, actor):
    """Publish a draft as a new version (stamping one if the XLSForm had none).

    Republishing unchanged content returns the version already published. Changed content
    under a version that is already published raises Problem form.version_exists (409).
    """
    if version.published_at is not None:
        return version
    form = version.form
    same = _published_with_same_content(form, version)
    if same is not None:
        db.session.delete(version)
        return same
    if not version.version:
        _stamp(version, _new_version_string(form))
    if _published(form, version.version) is not None:
        raise Problem("form.version_exists",
                      f"Version {version.version!r} of form {form.xml_form_id!r} is already published with "
                      "different content. Change the version in the XLSForm settings sheet: ODK Collect "
                      "would otherwise silently replace the form on phones.", 409)
    _carry_media_forward(form, version)
    version.published_at = utcnow()
    form.current_version = version
    form.title = version.title
    audit.record(actor, "form.publish", f"form_version:{version.id}",
                 {"form_id": form.xml_form_id, "version": version.version, "md5": version.md5},
                 form.evaluation_id)
    return version


def publish_form(evaluation, source, filename, media=None, actor="cli", lang="zh", field_map=None):
    """Upload, attach media and publish in one step (the CLI's `forms publish`)."""
    version = upload_form(evaluation, source, filename, actor, lang, field_map)
    for name, data in (media or {}).items():
        add_media(version, name, data, actor)
    return publish_version(version, actor)


def add_media(version, filename, data, actor, content_type=None):
    """Store a media file the version references (replacing one of the same name)."""
    if filename not in version.media_names:
        raise Problem("form.media_not_referenced",
                      f"The form does not reference a file named {filename!r}; it references: "
                      f"{', '.join(version.media_names) or 'no files'}.", 422)
    relative = f"forms/{version.form_id}/media/{uuid.uuid4().hex}"
    md5, sha256 = stored_files.store_bytes(relative, data)
    row = next((m for m in version.media if m.filename == filename), None)
    if row is None:
        row = FormMedia(form_version=version, filename=filename)
        db.session.add(row)
    row.md5, row.sha256, row.size, row.path = md5, sha256, len(data), relative
    row.content_type = content_type or _guess_type(filename)
    row.uploaded_at = utcnow()
    audit.record(actor, "form.media", f"form_version:{version.id}", {"filename": filename, "md5": md5},
                 version.form.evaluation_id)
    return row


def missing_media(version):
    """Referenced media files not uploaded yet (generated per-enumerator files excluded)."""
    present = {m.filename for m in version.media}
    return [n for n in version.media_names if n not in present and n not in GENERATED_MEDIA]


def set_form_state(form, state, actor):
    """open: listed to phones; closing: not listed, still accepts submissions; closed: accepts nothing."""
    if state not in FORM_STATES:
        raise Problem("form.bad_state", f"A form state is one of {', '.join(FORM_STATES)}.", 422)
    if form.current_version is None and state == "open":
        raise Problem("form.unpublished", "Publish a version before opening the form.", 409)
    previous, form.state = form.state, state
    audit.record(actor, "form.state", f"form:{form.id}", {"from": previous, "to": state},
                 form.evaluation_id)
    return form


def get_form(evaluation, xml_form_id):
    form = db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id,
                                                 Form.xml_form_id == xml_form_id)).scalar()
    if form is None:
        raise Problem("form.not_found", f"form {xml_form_id!r} does not exist", 404)
    return form


def _form_for(evaluation, compiled, field_map):
    form = db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id,
                                                 Form.xml_form_id == compiled.form_id)).scalar()
    if form is None:
        form = Form(evaluation_id=evaluation.id, xml_form_id=compiled.form_id, title=compiled.title,
                    state="open", field_map=field_map or {})
        db.session.add(form)
    elif field_map is not None:
        form.field_map = field_map
    return form


def _version_columns(compiled, report, filename):
    return dict(version=compiled.version or "", title=compiled.title, xml=compiled.xml, md5=compiled.md5,
                languages=list(compiled.languages), fields=[_field_dict(f) for f in compiled.fields],
                media_names=list(compiled.media), warnings=list(compiled.warnings),
                contract=report.to_dict(), public_key=compiled.public_key, source_name=filename)


def _field_dict(field):
    return {"path": field.path, "name": field.name, "type": field.type, "list_name": field.list_name,
            "required": field.required, "repeat": field.repeat,
            "choices": None if field.choices is None else [{"name": c.name, "label": dict(c.label)}
                                                           for c in field.choices]}


def _published(form, version_string):
    return db.session.execute(select(FormVersion).where(
        FormVersion.form_id == form.id, FormVersion.version == version_string,
        FormVersion.published_at.is_not(None))).scalar()


def _published_with_same_content(form, draft):
    """The published version whose XForm equals the draft's once given the same version string."""
    current = form.current_version
    if current is None or current.id == draft.id:
        return None
    if draft.version and draft.version != current.version:
        return None
    candidate = _compiled(draft) if draft.version else stamp_version(_compiled(draft), current.version)
    return current if candidate.md5 == current.md5 else None


def _stamp(version, version_string):
    stamped = stamp_version(_compiled(version), version_string)
    version.version, version.xml, version.md5 = version_string, stamped.xml, stamped.md5


def _compiled(version):
    return CompiledForm(xml=version.xml, form_id=version.form.xml_form_id, version=version.version or None,
                        title=version.title)


def _new_version_string(form):
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d%H%M%S")
    candidate, n = stamp, 1
    while _published(form, candidate) is not None:
        candidate, n = f"{stamp}{n:02d}", n + 1
    return candidate


def _carry_media_forward(form, version):
    """A new version keeps the previous version's files for names it still references."""
    previous = form.current_version
    if previous is None:
        return
    have = {m.filename for m in version.media}
    for media in previous.media:
        if media.filename in version.media_names and media.filename not in have:
            db.session.add(FormMedia(form_version=version, filename=media.filename, md5=media.md5,
                                     sha256=media.sha256, size=media.size, path=media.path,
                                     content_type=media.content_type))


def _guess_type(filename):
    import mimetypes

    return mimetypes.guess_type(filename)[0] or "application/octet-stream"

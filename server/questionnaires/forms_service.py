"""Forms of an evaluation: upload (a draft), publish (a new version), media, and open/closing/closed.

Only the caller commits. Every published version stays in the database and keeps accepting
submissions until its form is closed. Raises Problem codes form.* (compile errors keep the
FormError code and details).
"""
import uuid
from datetime import datetime, timezone

from sqlalchemy import select

from forms import FormError, contract, stamp_version
from forms import media as form_media
from forms.media import ITEMSETS, match_upload
from forms.xform import parse as parse_xform
from forms.model import CompiledForm
from server.accounts import audit
from server.infra import stored_files
from server.infra.errors import Problem, not_found
from server.infra.i18n import Texts, msg
from server.infra.progress import unwatched
from server.infra.extensions import db
from server.households.register_media import REGISTER_MEDIA_NAME
from server.models import FORM_STATES, Form, FormMedia, FormVersion
from server.models.types import utcnow
from server.submissions.filenames import safe_filename

# Media that fieldcheck makes per enumerator (the assigned households), so never "missing".
GENERATED_MEDIA = (REGISTER_MEDIA_NAME,)


def compile_source(source, filename, lang="zh", field_map=None):
    """Compile an XLSForm and check its field map; FormError becomes Problem (422) with details."""
    from forms.compile import compile_xlsform  # lazy: listing and serving forms need no compiler

    try:
        compiled = compile_xlsform(source, filename, lang=lang)
        report = contract.resolve(compiled, field_map, lang=lang)
    except FormError as error:
        raise Problem(error.code, error.message, 422, error.details) from None
    return compiled, report


def upload_form(evaluation, source, filename, actor, lang="zh", field_map=None, compiled=None, hosts=()):
    """Compile `source` and store it as a draft version of its form (created if new). A submission_url
    in its settings is refused or dropped (server.questionnaires.submission_url; `hosts` as there)."""
    from server.questionnaires import submission_url  # lazy: its token checks import cryptography

    if compiled is None:
        compiled, report = compile_source(source, filename, lang, field_map)
    else:
        report = contract.resolve(compiled, field_map, lang=lang)
    compiled = submission_url.checked(compiled, lang, hosts)
    form = _form_for(evaluation, compiled, field_map)
    version = FormVersion(form=form, **_version_columns(compiled, report, filename, field_map))
    db.session.add(version)
    db.session.flush()
    version.source_path = f"forms/{form.id}/sources/{version.id}-{uuid.uuid4().hex[:8]}"
    _, version.source_sha256 = stored_files.store_bytes(version.source_path, source)
    if compiled.itemsets and ITEMSETS in compiled.media:
        # select_one_external reads itemsets.csv: made from the external_choices sheet, as Central does.
        _store_media(version, ITEMSETS, compiled.itemsets.encode("utf-8"), "text/csv")
    audit.record(actor, "form.upload", f"form_version:{version.id}",
                 {"form_id": compiled.form_id, "version": compiled.version, "md5": compiled.md5},
                 evaluation.id)
    return version


def publish_version(version, actor, lang="zh"):
    """Publish a draft as a new version (stamping one if the XLSForm had none).

    Republishing unchanged content returns the version already published. Changed content
    under a version that is already published raises Problem form.version_exists (409); a
    draft still missing files the form references raises form.media_missing (422) naming them
    (files the previous version had under the same names count as present).
    """
    if version.published_at is not None:
        return version
    form = version.form
    same = _published_with_same_content(form, version)
    if same is not None:
        db.session.delete(version)
        return same
    _carry_media_forward(form, version)
    missing = missing_media(version)
    if missing:
        raise _missing_problem(missing)
    if not version.version:
        _stamp(version, _new_version_string(form))
    if _published(form, version.version) is not None:
        raise Problem("form.version_exists",
                      msg("Version %(version)r of form %(form_id)r is already published with different "
                          "content. Change the version in the XLSForm settings sheet: ODK Collect would "
                          "otherwise silently replace the form on phones.", version=version.version,
                          form_id=form.xml_form_id), 409)
    version.published_at = utcnow()
    form.current_version = version
    form.title = version.title
    audit.record(actor, "form.publish", f"form_version:{version.id}",
                 {"form_id": form.xml_form_id, "version": version.version, "md5": version.md5},
                 form.evaluation_id)
    return version


def publish_form(evaluation, source, filename, media=None, actor="cli", lang="zh", field_map=None,
                 compiled=None, progress=unwatched):
    """Upload, attach media and publish in one step (the CLI's `forms publish`), telling `progress`
    (server/infra/progress.py) of each step: compiling, each media file, publishing."""
    media = media or {}
    steps = len(media) + 2
    progress(0, steps, msg("compiling the XLSForm"))
    version = upload_form(evaluation, source, filename, actor, lang, field_map, compiled)
    for done, (name, data) in enumerate(media.items(), 1):
        progress(done, steps, msg("storing %(name)s", name=name))
        add_media(version, name, data, actor)
    progress(steps - 1, steps, msg("publishing"))
    version = publish_version(version, actor, lang)
    progress(steps, steps, msg("published"))
    return version


def add_media(version, filename, data, actor, content_type=None):
    """Store a media file for a version (replacing one of the same name); returns the FormMedia.

    The upload's name is matched to the form's own spelling as Collect needs it (forms.media:
    exact, then Unicode-normalised, then case-insensitive when that is unambiguous). A file the
    form does not reference is kept and served all the same (it may be read in a way no scan
    can see, e.g. a name built with concat()); media_status reports it as a warning.
    """
    name = match_upload(filename, version.media_names) or _unreferenced_name(filename)
    if name is None:
        raise Problem("form.media_bad_name", msg("%(name)r is not a usable file name.", name=filename), 422)
    row = _store_media(version, name, data, content_type or _guess_type(name))
    audit.record(actor, "form.media", f"form_version:{version.id}",
                 {"filename": name, "uploaded_as": filename, "md5": row.md5}, version.form.evaluation_id)
    return row


def _store_media(version, name, data, content_type):
    relative = f"forms/{version.form_id}/media/{uuid.uuid4().hex}"
    md5, sha256 = stored_files.store_bytes(relative, data)
    row = next((m for m in version.media if m.filename == name), None)
    if row is None:
        row = FormMedia(form_version=version, filename=name)
        db.session.add(row)
    row.md5, row.sha256, row.size, row.path = md5, sha256, len(data), relative
    row.content_type = content_type
    row.uploaded_at = utcnow()
    return row


def missing_media(version):
    """Referenced media files not uploaded yet (generated per-enumerator files excluded)."""
    present = {m.filename for m in version.media}
    return [n for n in version.media_names if n not in present and n not in GENERATED_MEDIA]


def media_status(version, lang="zh"):
    """Expected, present, missing and unreferenced files of a version, with warnings in `lang`."""
    refs = form_media.references(parse_xform(version.xml))
    found = form_media.status(refs, {m.filename: m.md5 for m in version.media}, GENERATED_MEDIA)
    found["warnings"] = [_UNREFERENCED[lang].format(name=n) for n in found["unreferenced"]]
    return found


_UNREFERENCED = {
    "zh": "文件 '{name}' 未被问卷引用；仍会发给手机，但问卷可能用不到它（请检查文件名拼写）。",
    "en": "The form does not reference '{name}'; it is served to phones anyway, but the form may never "
          "use it (check the file name's spelling).",
}


def _missing_problem(missing):
    names = ", ".join(missing)
    message = Texts(f"The form references files that have not been uploaded, so it cannot be published: "
                    f"{names}. Upload them first, named as the form writes them.",
                    f"问卷引用的以下文件尚未上传，不能发布：{names}。请先上传这些文件（文件名须与问卷中的写法一致）。")
    details = [{"code": "media.missing", "filename": n, "sheet": None, "row": None, "column": None,
                "message": n} for n in missing]
    return Problem("form.media_missing", message, 422, details)


def _unreferenced_name(filename):
    name = safe_filename(filename or "")
    return name if name and name != "attachment" or filename == "attachment" else None


def set_form_state(form, state, actor):
    """open: listed to phones; closing: not listed, still accepts submissions; closed: accepts nothing."""
    if state not in FORM_STATES:
        raise Problem("form.bad_state",
                      msg("A form state is one of %(choices)s.", choices=", ".join(FORM_STATES)),
                      422)
    if form.current_version is None and state == "open":
        raise Problem("form.unpublished", msg("Publish a version before opening the form."), 409)
    previous, form.state = form.state, state
    audit.record(actor, "form.state", f"form:{form.id}", {"from": previous, "to": state},
                 form.evaluation_id)
    return form


def get_form(evaluation, xml_form_id):
    form = db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id,
                                                 Form.xml_form_id == xml_form_id)).scalar()
    if form is None:
        raise not_found("form", xml_form_id)
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


def _version_columns(compiled, report, filename, field_map):
    # The field map is kept with the contract so the report can be read again in another language.
    return dict(version=compiled.version or "", title=compiled.title, xml=compiled.xml, md5=compiled.md5,
                languages=list(compiled.languages), fields=[_field_dict(f) for f in compiled.fields],
                media_names=list(compiled.media), warnings=list(compiled.warnings),
                warning_details=list(compiled.warning_details),
                contract={**report.to_dict(), "field_map": dict(field_map or {})},
                public_key=compiled.public_key, source_name=filename)


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


_TYPES = {".csv": "text/csv", ".xml": "text/xml", ".geojson": "application/geo+json"}


def _guess_type(filename):
    """The type phones and ODK's engines expect for data files; else the usual guess."""
    import mimetypes
    import os

    ext = os.path.splitext(filename)[1].lower()
    return _TYPES.get(ext) or mimetypes.guess_type(filename)[0] or "application/octet-stream"

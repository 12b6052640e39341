"""What a form's page and the API say about it: each version's state, which one phones get, and the
contract (which checks the form supports, and why not) in the reader's language.
"""
import os

from forms import contract as form_contract
from forms import FormError
from forms.model import Choice, CompiledForm, Field
from server.infra import stored_files
from server.infra.errors import Problem
from server.infra.extensions import db
from server.infra.i18n import msg
from server.models import FormVersion

VERSION_STATES = ("draft", "current", "published", "closed")


def version_state(version):
    """draft (not published), current (what phones get, or would get once the form is open again),
    published (an earlier version: it still accepts the interviews made with it), closed (the form
    accepts nothing)."""
    if version.published_at is None:
        return "draft"
    if version.form.state == "closed":
        return "closed"
    return "current" if version.form.current_version_id == version.id else "published"


def phones_get(form):
    """The version listed to phones (an open form's current version), else None."""
    return form.current_version if form.state == "open" else None


def find_version(form, version_id):
    version = db.session.get(FormVersion, version_id)
    if version is None or version.form_id != form.id:
        raise Problem("form.version_not_found", msg("The form %(form_id)r has no version %(version_id)s.",
                                                    form_id=form.xml_form_id, version_id=version_id), 404)
    return version


def latest_version(form):
    """The current version, else the newest draft; None for a form without versions."""
    return form.current_version or (form.versions[-1] if form.versions else None)


def contract_report(version, lang="zh"):
    """{fields: {key: path|None}, checks: [{code, kind, title, supported, needs, missing, reasons}]}, the
    reasons in `lang`. Read again from the stored fields with the field map the rules use (the one
    given at upload, then the form's own), so it follows the reader's language."""
    stored = version.contract or {}
    field_map = {**(stored.get("field_map") or {}), **(version.form.field_map or {})}
    try:
        report = form_contract.resolve(_compiled(version), field_map, lang=lang).to_dict()
    except FormError:  # a map the contract no longer knows: show what was resolved at upload
        report = stored
    checks = []
    for code, check in (report.get("checks") or {}).items():
        zh, en = form_contract.CHECK_TITLES.get(code, (code, code))
        checks.append({"code": code, "kind": form_contract.check_kind(code),
                       "title": zh if lang == "zh" else en, "supported": check["supported"],
                       "needs": list(form_contract.CHECKS.get(code, ())),
                       "missing": check["missing"], "reasons": check["reasons"]})
    return {"fields": report.get("fields") or {}, "checks": checks}


def _compiled(version):
    fields = tuple(Field(path=f["path"], name=f["name"], type=f["type"], list_name=f.get("list_name"),
                         required=bool(f.get("required")), repeat=f.get("repeat"),
                         choices=None if f.get("choices") is None else tuple(
                             Choice(c["name"], c.get("label") or {}) for c in f["choices"]))
                   for f in version.fields or ())
    return CompiledForm(xml=version.xml, form_id=version.form.xml_form_id, version=version.version or None,
                        title=version.title, fields=fields)


def warnings_in(version, lang="zh"):
    """[{code, sheet, row, column, message}] of the version's warnings in `lang` (stored located in both
    languages; a version from before that keeps its warnings as they were written)."""
    located = version.warning_details or []
    if not located:
        return [{"code": None, "sheet": None, "row": None, "column": None, "message": w}
                for w in version.warnings or ()]
    return [{**d, "message": (d.get("text") or {}).get(lang) or d.get("message")} for d in located]


def source_file(version):
    """(path, download name, sha256) of the XLSForm a version was made from; Problem form.source_gone
    (410) when it is not in the media store."""
    path = stored_files.media_path(version.source_path) if version.source_path else None
    if path is None or not os.path.isfile(path):
        raise Problem("form.source_gone", msg("The XLSForm of this version is not in the media store."), 410)
    return path, version.source_name or f"{version.form.xml_form_id}.xlsx", version.source_sha256


def xform_name(version):
    """The XForm's download name: form id and version (a draft has none yet: its number instead)."""
    return f"{version.form.xml_form_id}-{version.version or f'draft{version.id}'}.xml"

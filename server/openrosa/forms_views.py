"""formList, form download, manifest and media: Get Blank Form as Collect does it.

Each is read-only, so one whose connection died under it runs once more on a fresh one."""
import os

from flask import Response, g, request, send_file

from server.infra import media_store
from server.infra.database import retried
from server.openrosa import catalog
from server.openrosa.blueprint import bp
from server.openrosa.responses import xml_response
from server.openrosa.xml import render_formlist, render_manifest
from server.submissions.refusals import coded


@bp.get("/formList")
@retried
def form_list():
    caller = g.openrosa_caller
    forms = catalog.listed_forms(caller.evaluation_id, request.args.get("formID"), caller.team)
    return xml_response(render_formlist(forms, caller.base_url))


@bp.get("/forms/<form_id>.xml")
@retried
def form_download(form_id):
    caller = g.openrosa_caller
    version = catalog.served_version(caller.evaluation_id, form_id, caller.team)
    return xml_response(version.xml.encode("utf-8"))


@bp.get("/forms/<form_id>/manifest")
@retried
def form_manifest(form_id):
    caller = g.openrosa_caller
    version = catalog.served_version(caller.evaluation_id, form_id, caller.team)
    entries = catalog.manifest_entries(version, caller.enumerator_id)
    return xml_response(render_manifest(entries, caller.base_url, form_id))


@bp.get("/forms/<form_id>/attachments/<filename>")
@retried
def form_media(form_id, filename):
    caller = g.openrosa_caller
    version = catalog.served_version(caller.evaluation_id, form_id, caller.team)
    if filename == catalog.REGISTER_MEDIA_NAME:
        register = catalog.register_file(version, caller.enumerator_id)
        if register is not None:
            return Response(register, mimetype="text/csv", headers={"Cache-Control": "no-store"})
    media = catalog.media_file(version, filename)
    try:
        path = media_store.resolve(media.path)
    except ValueError:
        raise coded("media.not_found", filename=filename) from None
    if not os.path.isfile(path):
        raise coded("media.not_found", filename=filename)
    return send_file(path, mimetype=media.content_type, download_name=media.filename, conditional=True)

"""formList, form download, manifest and media: Get Blank Form as Collect does it."""
import os

from flask import g, request, send_file

from server import media_store
from server.openrosa import bp, catalog
from server.openrosa.responses import xml_response
from server.openrosa.xml import render_formlist, render_manifest
from server.submissions.lookup import coded


@bp.get("/formList")
def form_list():
    caller = g.openrosa_caller
    forms = catalog.listed_forms(caller.evaluation_id, request.args.get("formID"))
    return xml_response(render_formlist(forms, caller.base_url))


@bp.get("/forms/<form_id>.xml")
def form_download(form_id):
    version = catalog.served_version(g.openrosa_caller.evaluation_id, form_id)
    return xml_response(version.xml.encode("utf-8"))


@bp.get("/forms/<form_id>/manifest")
def form_manifest(form_id):
    caller = g.openrosa_caller
    version = catalog.served_version(caller.evaluation_id, form_id)
    return xml_response(render_manifest(catalog.manifest_entries(version), caller.base_url, form_id))


@bp.get("/forms/<form_id>/attachments/<filename>")
def form_media(form_id, filename):
    version = catalog.served_version(g.openrosa_caller.evaluation_id, form_id)
    media = catalog.media_file(version, filename)
    try:
        path = media_store.resolve(media.path)
    except ValueError:
        raise coded("media.not_found", filename=filename) from None
    if not os.path.isfile(path):
        raise coded("media.not_found", filename=filename)
    return send_file(path, mimetype=media.content_type, download_name=media.filename, conditional=True)

"""ODK Collect settings QR codes for enumerators: settings dict → payload → PNG.

Payload format (Collect's SettingsImporter/CompressionUtils): compact JSON, UTF-8, zlib
(with header, as java.util.zip.Deflater), standard base64 without line breaks. Only keys
known to Collect's client-settings.schema.json are emitted; the payload carries the
server URL (and with it the access token), so QR images are credentials.
"""
import base64
import io
import json
import re
import zlib

import qrcode
from qrcode.constants import ERROR_CORRECT_L

# From getodk/collect settings/src/main/resources/client-settings.schema.json ("general").
GENERAL_KEYS = frozenset({
    "protocol", "server_url", "username", "password", "selected_google_account",
    "google_sheets_url", "appTheme", "app_language", "font_size", "navigation",
    "basemap_source", "google_map_style", "mapbox_map_style", "usgs_map_style",
    "carto_map_style", "reference_layer", "form_update_mode", "periodic_form_updates_check",
    "automatic_update", "hide_old_form_versions", "autosend", "delete_send",
    "constraint_behavior", "high_resolution", "image_size", "guidance_hint",
    "external_app_recording", "instance_sync", "analytics", "metadata_username",
    "metadata_phonenumber", "metadata_email", "background_location", "background_recording",
})
ADMIN_KEYS = frozenset({
    "admin_pw", "edit_saved", "send_finalized", "view_sent", "get_blank", "delete_saved",
    "change_server", "change_project_display", "change_app_theme", "change_app_language",
    "change_font_size", "change_navigation", "maps", "form_update_mode",
    "periodic_form_updates_check", "automatic_update", "hide_old_form_versions",
    "change_autosend", "delete_after_send", "change_constraint_behavior", "high_resolution",
    "image_size", "guidance_hint", "external_app_recording", "instance_form_sync",
    "change_form_metadata", "analytics", "moving_backwards", "access_settings",
    "change_language", "jump_to", "save_mid",
})
ENUMS = {
    "form_update_mode": {"manual", "previously_downloaded", "match_exactly"},
    "autosend": {"off", "wifi_only", "cellular_only", "wifi_and_cellular"},
    "protocol": {"odk_default"},  # google_sheets would make Collect refuse the project
}
_COLOR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")


def collect_settings(server_url, project_name, *, metadata_username, username=None,
                     language="zh", project_color="#3e9fcc", project_icon=None,
                     general=None, admin=None):
    """The settings dict for one enumerator's device.

    `server_url` is the Collect server URL (token mode: `<public>/key/<token>/<evaluation>`;
    Digest mode: `<public>/<evaluation>` plus `username`, the password being typed on the
    phone). `general`/`admin` add or override schema keys; unknown keys raise ValueError.
    """
    settings_general = {
        "server_url": server_url.rstrip("/"),
        "form_update_mode": "match_exactly",
        "autosend": "wifi_and_cellular",
        "metadata_username": metadata_username,
        "app_language": language,
    }
    if username:
        settings_general["username"] = username
    settings_general.update(general or {})
    project = {"name": project_name, "icon": project_icon or project_name[:1] or "F",
               "color": project_color}
    settings = {"general": settings_general, "admin": dict(admin or {}), "project": project}
    validate_settings(settings)
    return settings


def validate_settings(settings):
    """Raise ValueError unless `settings` fits Collect's schema (keys, enums, colour)."""
    if not isinstance(settings.get("general"), dict) or not isinstance(settings.get("admin"), dict):
        raise ValueError("settings need 'general' and 'admin' objects")
    _check_keys(settings["general"], GENERAL_KEYS, "general")
    _check_keys(settings["admin"], ADMIN_KEYS, "admin")
    for key, allowed in ENUMS.items():
        value = settings["general"].get(key)
        if value is not None and value not in allowed:
            raise ValueError(f"general.{key}={value!r} is not one of {sorted(allowed)}")
    color = settings.get("project", {}).get("color")
    if color is not None and not _COLOR.match(color):
        raise ValueError(f"project.color {color!r} must be #rgb or #rrggbb")


def _check_keys(section, known, name):
    unknown = set(section) - known
    if unknown:
        raise ValueError(f"{name} keys unknown to Collect: {sorted(unknown)}")


def encode_payload(settings):
    """Compact JSON → UTF-8 → zlib → standard base64 (no wraps): the QR text."""
    raw = json.dumps(settings, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.b64encode(zlib.compress(raw)).decode("ascii")


def decode_payload(payload):
    """The settings dict inside a QR payload (inverse of `encode_payload`)."""
    return json.loads(zlib.decompress(base64.b64decode(payload, validate=True)).decode("utf-8"))


def qr_png(payload, box_size=8, border=4):
    """PNG bytes of a QR code (error correction L, as Central) holding `payload`."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_L, box_size=box_size, border=border)
    code.add_data(payload)
    code.make(fit=True)
    out = io.BytesIO()
    code.make_image().save(out, format="PNG")
    return out.getvalue()


def enumerator_qr(server_url, project_name, metadata_username, **options):
    """(payload, png) for an enumerator: the one call the CLI and API need."""
    payload = encode_payload(collect_settings(
        server_url, project_name, metadata_username=metadata_username, **options))
    return payload, qr_png(payload)

"""Collect settings QR: schema keys only, JSON → zlib → base64, and a PNG a scanner reads back."""
import base64
import io
import zlib

import pytest
import zxingcpp
from PIL import Image

from server.accounts.devices import (GENERAL_KEYS, collect_settings, decode_payload, encode_payload,
                                     enumerator_qr, qr_png, validate_settings)

URL = "https://odk.example.org/key/Zx3kq9T2mW/ev7"


def test_settings_for_an_enumerator():
    settings = collect_settings(URL + "/", "2025 成效评估", metadata_username="张三")
    assert settings["general"] == {
        "server_url": URL, "form_update_mode": "match_exactly", "autosend": "wifi_and_cellular",
        "metadata_username": "张三", "app_language": "zh",
    }
    assert settings["admin"] == {}
    assert settings["project"] == {"name": "2025 成效评估", "icon": "2", "color": "#3e9fcc"}
    assert set(settings["general"]) <= GENERAL_KEYS


def test_digest_mode_carries_username_but_no_password():
    settings = collect_settings("https://odk.example.org/ev7", "P", metadata_username="Li",
                                username="enum1", project_icon="评")
    assert settings["general"]["username"] == "enum1" and "password" not in settings["general"]
    assert settings["project"]["icon"] == "评"


@pytest.mark.parametrize("kwargs", [
    {"general": {"formlist_url": "x"}},  # in old docs, unknown to current Collect
    {"general": {"autosend": "always"}},
    {"general": {"form_update_mode": "sometimes"}},
    {"general": {"protocol": "google_sheets"}},
    {"admin": {"not_a_key": True}},
    {"project_color": "blue"},
])
def test_unknown_keys_and_values_are_refused(kwargs):
    with pytest.raises(ValueError):
        collect_settings(URL, "P", metadata_username="x", **kwargs)


def test_validate_requires_general_and_admin():
    with pytest.raises(ValueError):
        validate_settings({"general": {}})


def test_payload_matches_the_documented_worked_example():
    settings = {
        "general": {"server_url": "https://odk.example.org/key/Zx3kq9T2mW/projects/7",
                    "form_update_mode": "match_exactly", "autosend": "wifi_and_cellular"},
        "admin": {},
        "project": {"name": "Evaluation 2025", "icon": "E", "color": "#3e9fcc"},
    }
    payload = encode_payload(settings)
    assert payload.startswith("eJ") and len(payload) == 240 and "\n" not in payload
    assert payload.startswith("eJwtjkEKwjAQRa8icStGWkTs3hsIgpswJFMbm2TqNKkV6d2dgrs3vOHxv+qBCRmCar5q")
    assert decode_payload(payload) == settings


def test_payload_is_standard_base64_of_zlib_json():
    settings = collect_settings(URL, "成效评估", metadata_username="张三")
    raw = zlib.decompress(base64.b64decode(encode_payload(settings), validate=True))
    assert raw.decode("utf-8").startswith('{"general":{')  # compact JSON, UTF-8 (not \\u escapes)
    assert "张三" in raw.decode("utf-8")


def test_png_decodes_back_to_the_same_settings():
    payload, png = enumerator_qr(URL, "2025 成效评估", "张三")
    assert png.startswith(b"\x89PNG")
    (barcode,) = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert barcode.format == zxingcpp.BarcodeFormat.QRCode
    assert barcode.text == payload
    assert decode_payload(barcode.text) == collect_settings(URL, "2025 成效评估",
                                                            metadata_username="张三")
    assert barcode.ec_level == "L"  # error correction L, as Central


def test_qr_png_scales():
    small, large = qr_png("abc", box_size=2), qr_png("abc", box_size=10)
    assert Image.open(io.BytesIO(small)).size[0] < Image.open(io.BytesIO(large)).size[0]

"""Rendered OpenRosa XML is parsed and asserted (namespaces, required children), never string-matched."""
import hashlib
from urllib.parse import unquote

import pytest
from lxml import etree

from server.openrosa.xml import (CONTENT_TYPE, NS_FORMLIST, NS_MANIFEST, NS_RESPONSE, FormEntry,
                                 MediaEntry, openrosa_headers, render_coded, render_formlist,
                                 render_manifest, render_response)

BASE = "https://odk.example.org/key/Zx3k/ev7"
MD5 = hashlib.md5(b"<h:html/>").hexdigest()


def parse(body):
    assert body.startswith(b"<?xml")
    return etree.fromstring(body)


def children(node, ns):
    return {c.tag.split("}")[1]: c.text for c in node if c.tag.startswith(f"{{{ns}}}")}


def test_formlist_has_required_children_in_namespace():
    body = render_formlist([FormEntry("household_survey", "Household survey", "2025013101", MD5,
                                      has_media=True)], BASE)
    root = parse(body)
    assert root.tag == f"{{{NS_FORMLIST}}}xforms"
    (xform,) = root
    assert xform.tag == f"{{{NS_FORMLIST}}}xform"
    fields = children(xform, NS_FORMLIST)
    assert fields == {
        "formID": "household_survey", "name": "Household survey", "version": "2025013101",
        "hash": f"md5:{MD5}",
        "downloadUrl": f"{BASE}/forms/household_survey.xml",
        "manifestUrl": f"{BASE}/forms/household_survey/manifest",
    }


def test_formlist_omits_manifest_without_media_and_keeps_empty_version():
    root = parse(render_formlist([FormEntry("f", "F", "", MD5)], BASE))
    fields = children(root[0], NS_FORMLIST)
    assert "manifestUrl" not in fields
    assert fields["version"] is None  # <version/>: present and empty


def test_empty_formlist_is_valid():
    root = parse(render_formlist([], BASE))
    assert root.tag == f"{{{NS_FORMLIST}}}xforms" and len(root) == 0


def test_formlist_escapes_text_and_encodes_ids_in_urls():
    form_id = "a&b <c>/d?e 调查"
    root = parse(render_formlist([FormEntry(form_id, 'Name "<&>" 问卷', "1", MD5)], BASE))
    fields = children(root[0], NS_FORMLIST)
    assert fields["formID"] == form_id
    assert fields["name"] == 'Name "<&>" 问卷'
    url = fields["downloadUrl"]
    tail = url[len(BASE) + len("/forms/"):]
    assert "/" not in tail[:-4] and "?" not in url and " " not in url
    assert unquote(tail) == form_id + ".xml"


def test_formlist_falls_back_to_form_id_for_name_and_strips_control_chars():
    root = parse(render_formlist([FormEntry("f1", "", "1", MD5), FormEntry("f2", "a\x01b", "", MD5)], BASE))
    assert children(root[0], NS_FORMLIST)["name"] == "f1"
    assert children(root[1], NS_FORMLIST)["name"] == "ab"


@pytest.mark.parametrize("bad", ["", "xyz", "md5:" + "g" * 32, MD5[:-1]])
def test_formlist_refuses_entries_collect_would_reject(bad):
    with pytest.raises(ValueError):
        render_formlist([FormEntry("f", "F", "1", bad)], BASE)
    with pytest.raises(ValueError):
        render_formlist([FormEntry("", "F", "1", MD5)], BASE)


def test_hash_is_lowercased_and_prefix_tolerated():
    root = parse(render_formlist([FormEntry("f", "F", "1", "md5:" + MD5.upper())], BASE))
    assert children(root[0], NS_FORMLIST)["hash"] == f"md5:{MD5}"


def test_manifest_entries_and_entity_list():
    media = [MediaEntry("logo.png", MD5),
             MediaEntry("户 名单.csv", MD5, type="entityList",
                        integrity_url=f"{BASE}/datasets/trees/integrity")]
    root = parse(render_manifest(media, BASE, "household survey"))
    assert root.tag == f"{{{NS_MANIFEST}}}manifest"
    first, second = root
    assert first.tag == second.tag == f"{{{NS_MANIFEST}}}mediaFile"
    assert first.get("type") is None and second.get("type") == "entityList"
    f1 = children(first, NS_MANIFEST)
    assert f1 == {"filename": "logo.png", "hash": f"md5:{MD5}",
                  "downloadUrl": f"{BASE}/forms/household%20survey/attachments/logo.png"}
    f2 = children(second, NS_MANIFEST)
    assert f2["filename"] == "户 名单.csv"
    assert unquote(f2["downloadUrl"].rsplit("/", 1)[1]) == "户 名单.csv"
    assert " " not in f2["downloadUrl"]
    assert f2["integrityUrl"].endswith("/integrity")


def test_openrosa_response_success_and_error():
    ok = parse(render_response("全部上传成功 <ok> & done"))
    assert ok.tag == f"{{{NS_RESPONSE}}}OpenRosaResponse"
    (msg,) = ok
    assert msg.tag == f"{{{NS_RESPONSE}}}message"
    assert msg.get("nature") == "" and msg.text == "全部上传成功 <ok> & done"
    err = parse(render_response("bad", error=True))
    assert err[0].get("nature") == "error"


def test_render_coded_uses_catalogue_language_and_status():
    body, status = render_coded("form.version_not_found", "zh", form_id="hh", version="7")
    assert status == 404
    msg = parse(body)[0]
    assert msg.get("nature") == "error" and "hh" in msg.text and "版本" in msg.text
    body, status = render_coded("submission.duplicate", "en")
    assert status == 202 and parse(body)[0].get("nature") == ""


def test_openrosa_headers():
    headers = openrosa_headers(100_000_000)
    assert headers["Content-Type"] == CONTENT_TYPE == "text/xml; charset=utf-8"
    assert headers["X-OpenRosa-Version"] == "1.0"
    assert headers["X-OpenRosa-Accept-Content-Length"] == "100000000"
    assert headers["Date"].endswith("GMT")

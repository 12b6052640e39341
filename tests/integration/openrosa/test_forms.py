"""formList, form download, manifest and media as Collect reads them (parsed, never string-matched)."""
import hashlib

from lxml import etree

from server.infra.extensions import db
from tests.integration.openrosa.conftest import SAFE, message_of
from testkit.openrosa_factories import MEDIA, PLAIN, SURVEY, publish

NS_LIST = "{http://openrosa.org/xforms/xformsList}"
NS_MANIFEST = "{http://openrosa.org/xforms/xformsManifest}"


def _forms(answer):
    root = etree.fromstring(answer.data, SAFE)
    assert root.tag == f"{NS_LIST}xforms"
    return {x.findtext(f"{NS_LIST}formID"): {c.tag[len(NS_LIST):]: c.text for c in x} for x in root}


def test_formlist_lists_open_forms_with_headers(client, world):
    answer = client.get(world.base + "/formList?deviceID=collect:x&verbose=true")
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "text/xml; charset=utf-8"
    assert answer.headers["X-OpenRosa-Version"] == "1.0"
    assert int(answer.headers["X-OpenRosa-Accept-Content-Length"]) > 0
    forms = _forms(answer)
    assert set(forms) == {"household", "plain"}
    assert forms["household"]["hash"] == f"md5:{world.version.md5}"
    assert forms["household"]["downloadUrl"].startswith("http://fieldcheck.test" + world.base)
    assert "manifestUrl" in forms["household"] and "manifestUrl" not in forms["plain"]


def test_formlist_hides_closing_and_closed_forms(client, world):
    publish(world.evaluation, PLAIN, form_id="closing_form", state="closing")
    publish(world.evaluation, PLAIN, form_id="closed_form", state="closed")
    assert set(_forms(client.get(world.base + "/formList"))) == {"household", "plain"}


def test_formlist_filters_by_form_id(client, world):
    assert set(_forms(client.get(world.base + "/formList?formID=plain"))) == {"plain"}
    assert _forms(client.get(world.base + "/formList?formID=none")) == {}


def test_form_download_serves_the_listed_bytes_of_the_current_version(client, world):
    newer = publish(world.evaluation, SURVEY, version="2")
    listed = _forms(client.get(world.base + "/formList"))["household"]
    body = client.get(world.base + "/forms/household.xml?deviceID=collect:x").data
    assert listed["hash"] == "md5:" + hashlib.md5(body).hexdigest() == f"md5:{newer.md5}"


def test_manifest_and_media_hashes_match(client, world):
    answer = client.get(world.base + "/forms/household/manifest")
    assert answer.status_code == 200 and answer.headers["X-OpenRosa-Version"] == "1.0"
    root = etree.fromstring(answer.data, SAFE)
    entries = {m.findtext(f"{NS_MANIFEST}filename"): m for m in root}
    assert set(entries) == set(MEDIA)
    for name, node in entries.items():
        url = node.findtext(f"{NS_MANIFEST}downloadUrl").replace("http://fieldcheck.test", "")
        data = client.get(url).data
        assert data == MEDIA[name]
        assert node.findtext(f"{NS_MANIFEST}hash") == "md5:" + hashlib.md5(data).hexdigest()


def test_unknown_form_and_media_are_404_with_a_message(client, world):
    for path in ("/forms/nope.xml", "/forms/nope/manifest", "/forms/household/attachments/nope.png"):
        answer = client.get(world.base + path)
        assert answer.status_code == 404 and message_of(answer)[0] == "error"


def test_closed_form_cannot_be_downloaded(client, world):
    publish(world.evaluation, PLAIN, form_id="closed_form", state="closed")
    assert client.get(world.base + "/forms/closed_form.xml").status_code == 404


def test_preflight_is_204_with_accept_length_and_no_location(client, world):
    for method in ("HEAD", "GET"):
        answer = client.open(world.base + "/submission?deviceID=collect:x", method=method)
        assert answer.status_code == 204 and "Location" not in answer.headers
        assert int(answer.headers["X-OpenRosa-Accept-Content-Length"]) == 100 * 1024 * 1024
    assert db.session is not None

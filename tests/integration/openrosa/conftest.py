"""Fixtures for the OpenRosa integration tests: a published form, an enumerator, Collect bodies."""
import os
from dataclasses import dataclass

import pytest
from lxml import etree

from testkit.collect_wire import MultipartBody, request_headers
from testkit.openrosa_factories import MEDIA, PLAIN, SURVEY, publish, setup_evaluation

NS_RESPONSE = "http://openrosa.org/http/response"
SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class World:
    evaluation: object
    enumerator: object
    token: str
    version: object

    @property
    def base(self):
        return f"/key/{self.token}/{self.evaluation.code}"


@pytest.fixture
def world(app):
    evaluation, enumerator, token = setup_evaluation()
    version = publish(evaluation, SURVEY, media=MEDIA)
    publish(evaluation, PLAIN, form_id="plain")
    return World(evaluation, enumerator, token, version)


def multipart(xml, files=(), incomplete=False, xml_name="instance.xml"):
    """(raw body bytes, content type) as Collect would send them."""
    body = MultipartBody()
    body.add("xml_submission_file", xml, filename=xml_name, content_type="text/xml")
    for name, data in files:
        body.add(name, data, filename=name, content_type="application/octet-stream")
    if incomplete:
        body.add("*isIncomplete*", b"yes")
    body.finish()
    return body.reader().read(), body.content_type


def post(client, url, xml, files=(), incomplete=False, headers=None, raw=None):
    data, ctype = multipart(xml, files, incomplete)
    all_headers = {**request_headers(), **(headers or {})}
    return client.post(url, data=raw if raw is not None else data, content_type=ctype, headers=all_headers)


def message_of(response):
    """(nature, text) of the OpenRosaResponse's first message; asserts the envelope."""
    root = etree.fromstring(response.data, SAFE)
    assert root.tag == f"{{{NS_RESPONSE}}}OpenRosaResponse"
    node = root.find(f"{{{NS_RESPONSE}}}message")
    return node.get("nature"), node.text


def stored_files(app):
    """Every file under MEDIA_ROOT except form sources and media (what submissions left)."""
    root = app.config["MEDIA_ROOT"]
    found = []
    for folder, _dirs, names in os.walk(root):
        relative = os.path.relpath(folder, root)
        if relative.split(os.sep)[0] == "forms":
            continue
        found += [os.path.join(relative, n) for n in names]
    return sorted(found)

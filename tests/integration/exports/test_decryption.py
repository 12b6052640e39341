"""Encrypted interviews (ODK form encryption, as Collect encrypts them): decrypted for an export with the
private key given for that export only, and the decryption module's refusals."""
import csv
import io
import zipfile

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from server.infra.errors import Problem
from server.exports import keys
from server.submissions import decryption
from testkit.collect_wire import request_headers
from tests.integration.exports.conftest import as_file, export
from tests.integration.openrosa import encryption
from tests.integration.openrosa.conftest import multipart
from testkit.openrosa_factories import ENCRYPTED, publish
from tests.integration.recusal.conftest import run_worker

PHOTO = b"\xff\xd8 encrypted photo bytes " * 40


def _pem(key=None, passphrase=None):
    algorithm = serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else \
        serialization.NoEncryption()
    key = key or encryption._KEY
    pkcs8 = serialization.PrivateFormat.PKCS8
    return key.private_bytes(serialization.Encoding.PEM, pkcs8, algorithm).decode()


def _send(world, client, fields):
    instance_id, envelope, parts = encryption.encrypted_submission("secret", "1", fields, {"p.jpg": PHOTO})
    body, content_type = multipart(envelope, parts)
    answer = client.post(f"/key/{world.token}/county1/submission", headers=request_headers(), data=body,
                         content_type=content_type)
    assert answer.status_code == 201
    return instance_id, envelope, dict(parts)


@pytest.fixture
def secret_form(world):
    publish(world.evaluation, ENCRYPTED, form_id="secret",
            public_key=encryption.encrypted_submission.PUBLIC_KEY)


def test_export_decrypts_with_the_key_given_and_forgets_it(world, client, supervisor, secret_form):
    first, _, _ = _send(world, client, {"q1": "秘密的答案", "photo": "p.jpg"})
    second, _, _ = _send(world, client, {"q1": "second", "photo": ""})
    run_worker()
    job, data = export(client, supervisor, {"form": "secret", "private_key": _pem(),
                                            "bom": True})
    rows = {r["KEY"]: r for r in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))}
    assert rows[first]["q1"] == "秘密的答案" and rows[first]["photo"] == "p.jpg"
    assert rows[second]["q1"] == "second" and rows[first]["Encrypted"] == "yes"
    assert job["result"]["undecrypted"] == 0
    assert keys.take(job["id"]) is None  # the key was dropped when the job finished
    _, data = export(client, supervisor, {"form": "secret", "format": "zip", "private_key": _pem()})
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.read(f"media/{first.replace('uuid:', '')}/p.jpg") == PHOTO
    assert not [n for n in archive.namelist() if n.endswith(".enc")]
    job, data = export(client, supervisor, {"form": "secret"})
    rows = list(csv.DictReader(io.StringIO(as_file(data).read().decode())))
    assert job["result"]["undecrypted"] == 2 and {r["q1"] for r in rows} == {""}


def test_passphrase_protected_key(world, client, supervisor, secret_form):
    first, _, _ = _send(world, client, {"q1": "a", "photo": ""})
    run_worker()
    pem = _pem(passphrase="correct horse")
    wrong = client.post("/api/v1/evaluations/county1/exports", headers=supervisor,
                        json={"form": "secret", "private_key": pem, "passphrase": "wrong"})
    assert (wrong.status_code, wrong.json["code"]) == (400, "decryption.bad_key")
    body = {"form": "secret", "private_key": pem, "passphrase": "correct horse"}
    _, data = export(client, supervisor, body)
    assert list(csv.DictReader(io.StringIO(data.decode())))[0]["q1"] == "a"


def test_the_module_decrypts_xml_and_media_and_refuses_what_is_wrong():
    fields = {"q1": "答案", "photo": "p.jpg"}
    instance_id, envelope, parts = encryption.encrypted_submission("secret", "1", fields, {"p.jpg": PHOTO})
    parts = dict(parts)
    key = decryption.load_private_key(_pem())
    plain = decryption.decrypt_submission(envelope, parts, key)
    assert plain.instance_id == instance_id and plain.media == {"p.jpg": PHOTO}
    assert "<q1>答案</q1>".encode() in plain.xml
    other = decryption.load_private_key(_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)))
    cases = [
        (lambda: decryption.decrypt_submission(envelope, parts, other), "decryption.wrong_key"),
        (lambda: decryption.decrypt_submission(envelope, {"submission.xml.enc": parts["submission.xml.enc"]},
                                               key), "decryption.missing_part"),
        (lambda: decryption.decrypt_submission(envelope, {**parts, "p.jpg.enc": parts["p.jpg.enc"][:-1]},
                                               key), "decryption.bad_signature"),
        (lambda: decryption.decrypt_submission(b"<data id='x'/>", parts, key), "decryption.not_encrypted"),
        (lambda: decryption.load_private_key("-----BEGIN PRIVATE KEY-----\nAAAA\n"), "decryption.bad_key"),
        (lambda: decryption.load_private_key(_pem(passphrase="p")), "decryption.bad_key"),
    ]
    for call, code in cases:
        with pytest.raises(Problem) as raised:
            call()
        assert raised.value.code == code

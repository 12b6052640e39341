"""Build an encrypted submission the way Collect's EncryptionUtils does (openrosa.md item 50).

A random AES-256 key wrapped with RSA-OAEP(SHA-256, MGF1); each file AES/CFB with PKCS5 padding,
IVs seeded by md5(instanceID ‖ key) with one byte bumped per file (media first, the XML last);
a plaintext envelope naming the .enc parts. The server must store all of it opaquely.
"""
import base64
import hashlib
import uuid

from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric import padding as rsa_padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lxml import etree

from testkit.collect_wire import build_instance_xml

NS_ENC = "http://www.opendatakit.org/xforms/encrypted"
NS_ORX = "http://openrosa.org/xforms"
_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
_OAEP = rsa_padding.OAEP(mgf=rsa_padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)


def _public_key_b64():
    der = _KEY.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode("ascii")


def _encrypt(data, key, iv):
    padder = padding.PKCS7(128).padder()
    padded = padder.update(data) + padder.finalize()
    encryptor = Cipher(algorithms.AES(key), modes.CFB(iv)).encryptor()
    return encryptor.update(padded) + encryptor.finalize()


def encrypted_submission(form_id, version, fields, media):
    """(instance_id, envelope bytes, [(part name, bytes)]) for `fields` and `media` {name: bytes}."""
    instance_id = f"uuid:{uuid.uuid4()}"
    key = bytes(uuid.uuid4().bytes + uuid.uuid4().bytes)
    seed = bytearray(hashlib.md5(instance_id.encode() + key).digest())
    parts, signature_lines = [], []
    for index, (name, data) in enumerate(list(media.items()) + [("submission.xml", None)]):
        if data is None:
            data = build_instance_xml(form_id, version, instance_id, fields)
        seed[index % 16] = (seed[index % 16] + 1) % 256
        encrypted = _encrypt(data, key, bytes(seed))
        parts.append((f"{name}.enc", encrypted))
        signature_lines.append(f"{name}.enc::{hashlib.md5(encrypted).hexdigest()}")
    wrapped = base64.b64encode(_KEY.public_key().encrypt(key, _OAEP)).decode("ascii")
    lines = [form_id, version, wrapped, instance_id, *signature_lines]
    digest = hashlib.md5(("\n".join(lines) + "\n").encode()).digest()
    signature = base64.b64encode(_KEY.public_key().encrypt(digest, _OAEP)).decode("ascii")
    return instance_id, _envelope(form_id, version, instance_id, wrapped, parts, signature), parts


def _envelope(form_id, version, instance_id, wrapped, parts, signature):
    root = etree.Element(f"{{{NS_ENC}}}data", nsmap={None: NS_ENC, "orx": NS_ORX})
    root.set("id", form_id)
    root.set("version", version)
    root.set("encrypted", "yes")
    etree.SubElement(root, f"{{{NS_ENC}}}base64EncryptedKey").text = wrapped
    meta = etree.SubElement(root, f"{{{NS_ORX}}}meta")
    etree.SubElement(meta, f"{{{NS_ORX}}}instanceID").text = instance_id
    for name, _ in parts[:-1]:
        media = etree.SubElement(root, f"{{{NS_ENC}}}media")
        etree.SubElement(media, f"{{{NS_ENC}}}file").text = name
    etree.SubElement(root, f"{{{NS_ENC}}}encryptedXmlFile").text = parts[-1][0]
    etree.SubElement(root, f"{{{NS_ENC}}}base64EncryptedElementSignature").text = signature
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


encrypted_submission.PUBLIC_KEY = _public_key_b64()

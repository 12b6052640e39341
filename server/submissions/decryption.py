"""ODK form encryption, undone: an encrypted submission's parts back to plain XML and media.

How Collect encrypts (EncryptionUtils; ODK Central decrypts the same way):
- a random 256-bit AES key per submission, wrapped with the form's RSA public key (RSA-OAEP, SHA-256 and
  MGF1-SHA-256) and sent base64 in the envelope's <base64EncryptedKey>;
- each file (media first, in envelope order, submission.xml last) AES-256-CFB with PKCS#5 padding; the
  IV of file i is md5(instanceID ‖ key) with byte (i mod 16) incremented once more for each file;
- <base64EncryptedElementSignature>: md5 of the envelope's lines, RSA-OAEP wrapped (checked here).

    key = load_private_key(pem_bytes, passphrase=None)       # Problem decryption.bad_key
    plain = decrypt_submission(envelope_xml, parts, key)   # parts: {name: bytes | path | opener}
    plain.xml, plain.media  # bytes, {original name: bytes}

The private key is given by the caller for one use and never stored. Pure except for reading the part
files it is given and `stored_parts(submission_id)`, which maps a stored submission's attachments to
their files.
"""
import base64
import hashlib
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from lxml import etree
from sqlalchemy import select

from server.infra import media_store
from server.infra.errors import Problem
from server.infra.i18n import msg
from server.infra.extensions import db
from server.models import Attachment

NS_ENC = "http://www.opendatakit.org/xforms/encrypted"
NS_ORX = "http://openrosa.org/xforms"
_OAEP = padding.OAEP(mgf=padding.MGF1(hashes.SHA256()), algorithm=hashes.SHA256(), label=None)
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
MAX_PART_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class PrivateKey:
    """An RSA private key loaded for one decryption run (never persisted)."""

    key: rsa.RSAPrivateKey


@dataclass(frozen=True)
class Decrypted:
    instance_id: str
    xml: bytes
    media: dict  # original file name -> bytes


def load_private_key(pem, passphrase=None):
    """A PrivateKey from PEM text or bytes (PKCS#1 or PKCS#8, optionally passphrase-protected)."""
    data = pem.encode("utf-8") if isinstance(pem, str) else pem
    secret = passphrase.encode("utf-8") if isinstance(passphrase, str) else passphrase
    try:
        key = serialization.load_pem_private_key(data, password=secret or None)
    except TypeError:
        raise Problem("decryption.bad_key",
                      msg("The private key is protected: give its passphrase.") if not secret
                      else msg("This private key is not protected by a passphrase."), 400) from None
    except ValueError:
        raise Problem("decryption.bad_key", msg("This is not a PEM private key, or the passphrase is wrong."),
                      400) from None
    if not isinstance(key, rsa.RSAPrivateKey):
        raise Problem("decryption.bad_key", msg("ODK form encryption uses an RSA key."), 400)
    return PrivateKey(key)


def decrypt_submission(envelope, parts, private_key):
    """Decrypt an encrypted submission. `envelope`: the XML Collect sent (str or bytes); `parts`: {file name
    (e.g. 'submission.xml.enc'): bytes, a file path, or a zero-argument callable returning bytes}.

    Raises Problem decryption.not_encrypted, decryption.missing_part, decryption.wrong_key,
    decryption.bad_signature or decryption.corrupt (all 422).
    """
    head = _envelope(envelope)
    aes_key = _unwrap(private_key, head["wrapped"])
    names = head["media"] + [head["xml_file"]]
    seed = bytearray(hashlib.md5(head["instance_id"].encode("utf-8") + aes_key).digest())
    encrypted = {name: _read_part(parts, name) for name in names}
    # The signature covers every part: a damaged or swapped file is refused before anything is decrypted.
    digests = [f"{name}::{hashlib.md5(encrypted[name]).hexdigest()}" for name in names]
    _check_signature(private_key, head, digests)
    plain = {}
    for index, name in enumerate(names):
        seed[index % 16] = (seed[index % 16] + 1) % 256
        plain[name] = _decrypt_file(encrypted.pop(name), aes_key, bytes(seed), name)
    xml = plain.pop(head["xml_file"])
    return Decrypted(head["instance_id"], xml, {_original(name): data for name, data in plain.items()})


def _envelope(envelope):
    raw = envelope.encode("utf-8") if isinstance(envelope, str) else envelope
    if not raw:
        raise Problem("decryption.not_encrypted", msg("There is no envelope to decrypt."), 422)
    try:
        root = etree.fromstring(raw, _PARSER)
    except etree.XMLSyntaxError:
        raise Problem("decryption.not_encrypted", msg("The envelope is not XML."), 422) from None
    wrapped = root.findtext(f"{{{NS_ENC}}}base64EncryptedKey")
    xml_file = root.findtext(f"{{{NS_ENC}}}encryptedXmlFile")
    instance_id = root.findtext(f"{{{NS_ORX}}}meta/{{{NS_ORX}}}instanceID") or \
        root.findtext("meta/instanceID")
    if not wrapped or not xml_file or not instance_id:
        raise Problem("decryption.not_encrypted",
                      msg("This submission is not an ODK encrypted envelope."), 422)
    media = [m.findtext(f"{{{NS_ENC}}}file").strip() for m in root.findall(f"{{{NS_ENC}}}media")
             if m.findtext(f"{{{NS_ENC}}}file")]
    return {"form_id": root.get("id", ""), "version": root.get("version", ""), "wrapped": wrapped.strip(),
            "xml_file": xml_file.strip(), "instance_id": instance_id.strip(), "media": media,
            "signature": (root.findtext(f"{{{NS_ENC}}}base64EncryptedElementSignature") or "").strip()}


def _unwrap(private_key, wrapped):
    try:
        return private_key.key.decrypt(base64.b64decode(wrapped), _OAEP)
    except ValueError:
        raise Problem("decryption.wrong_key", msg("The private key does not open this submission "
                                                  "(another form's key?)."), 422) from None


def _read_part(parts, name):
    source = parts.get(name)
    if source is None:
        raise Problem("decryption.missing_part", msg("The encrypted part %(name)r has not been received.",
                                                     name=name), 422)
    if callable(source):
        return source()
    if isinstance(source, (bytes, bytearray)):
        return bytes(source)
    with open(source, "rb") as handle:
        return handle.read(MAX_PART_BYTES + 1)


def _decrypt_file(data, key, iv, name):
    decryptor = Cipher(algorithms.AES(key), modes.CFB(iv)).decryptor()
    padded = decryptor.update(data) + decryptor.finalize()
    pad = padded[-1] if padded else 0
    if not 1 <= pad <= 16 or padded[-pad:] != bytes([pad]) * pad:
        raise Problem("decryption.corrupt",
                      msg("%(name)r does not decrypt cleanly (damaged file?).", name=name),
                      422)
    return padded[:-pad]


def _check_signature(private_key, head, file_lines):
    """The envelope's signature covers form id, version, wrapped key, instance id and each file's md5."""
    if not head["signature"]:
        return  # older clients sent none; Central accepts those too
    lines = [head["form_id"], head["version"], head["wrapped"], head["instance_id"], *file_lines]
    expected = hashlib.md5(("\n".join(lines) + "\n").encode("utf-8")).digest()
    try:
        signed = private_key.key.decrypt(base64.b64decode(head["signature"]), _OAEP)
    except ValueError:
        signed = None
    if signed != expected:
        raise Problem("decryption.bad_signature", msg("The submission's signature does not match its parts."),
                      422)


def _original(name):
    return name[:-4] if name.endswith(".enc") else name


def stored_parts(submission_id):
    """{attachment name: absolute path} of a stored submission, for `decrypt_submission`."""
    rows = db.session.execute(select(Attachment.name, Attachment.path)
                              .where(Attachment.submission_id == submission_id))
    return {name: media_store.resolve(path) for name, path in rows}

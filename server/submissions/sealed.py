"""The answers of an ODK-encrypted interview once a decryption run has opened it, kept encrypted at rest.

The answers column then holds {"encrypted": true, "sealed": "<the answers document, sealed>"}, sealed with
the data key (server/infra/secrets_box.py) as ID numbers are; before any run it holds the placeholder
{"encrypted": true, "data": {}, ...}. Whoever reads an interview's answers reads them through `opened`;
whoever writes them back through `at_rest`, so a decrypted answer is never written in the clear.
"""
import orjson

from server.infra import secrets_box


def seal(document):
    return {"encrypted": True, "sealed": secrets_box.encrypt(orjson.dumps(document).decode("utf-8"))}


def is_sealed(document):
    return isinstance(document, dict) and isinstance(document.get("sealed"), str)


def opened(document):
    """The readable answers document: a sealed one opened, any other as it is."""
    if not is_sealed(document):
        return document
    return orjson.loads(secrets_box.decrypt(document["sealed"]))


def at_rest(encrypted, document):
    """What to store for a submission's answers: those of an encrypted interview sealed (again)."""
    if encrypted and isinstance(document, dict) and not document.get("encrypted"):
        return seal(document)
    return document

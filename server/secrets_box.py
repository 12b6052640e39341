"""Encrypt small secrets at rest (Collect URL tokens, ID numbers) with a key derived from DATA_KEY."""
import base64
import hashlib
import hmac
import secrets
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet():
    return _fernet_for(current_app.config["DATA_KEY"])


@lru_cache(maxsize=8)
def _fernet_for(data_key):
    # Cached: deriving the key and building a Fernet cost as much as encrypting one household's IDs.
    key = hashlib.sha256(("fieldcheck-data:" + data_key).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(value):
    return _fernet().encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(value):
    try:
        return _fernet().decrypt(value.encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise ValueError("cannot decrypt: wrong DATA_KEY or damaged value") from None


def new_token(nbytes=32):
    """A URL-safe random token (256 bits by default)."""
    return secrets.token_urlsafe(nbytes)


def token_hash(token):
    """The lookup hash of a bearer or URL token (tokens are random, so no salt is needed)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def same(a, b):
    return hmac.compare_digest(a, b)

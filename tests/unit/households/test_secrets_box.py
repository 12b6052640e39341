"""secrets_box: values round-trip, Fernet values from before still decrypt, a wrong key or a damaged
value is refused."""
import base64
import hashlib

import pytest
from cryptography.fernet import Fernet
from flask import Flask

from server.infra import secrets_box


def _app(data_key):
    app = Flask(__name__)
    app.config["DATA_KEY"] = data_key
    return app


def test_round_trip_with_a_fresh_nonce_each_time():
    with _app("key-one").app_context():
        first, second = secrets_box.encrypt("110101199003074514"), secrets_box.encrypt("110101199003074514")
        assert first != second and "110101199003074514" not in first
        assert secrets_box.decrypt(first) == secrets_box.decrypt(second) == "110101199003074514"


def test_values_written_with_fernet_still_decrypt():
    key = hashlib.sha256(b"fieldcheck-data:key-one").digest()
    legacy = Fernet(base64.urlsafe_b64encode(key)).encrypt("令牌".encode()).decode()
    with _app("key-one").app_context():
        assert secrets_box.decrypt(legacy) == "令牌"


@pytest.mark.parametrize("damage", [lambda v: v[:-2] + ("A" if v[-2] != "A" else "B") + v[-1],
                                    lambda v: v[:10], lambda v: v + "!", lambda v: "gAAAAA" + v[3:]])
def test_a_wrong_key_or_a_damaged_value_is_refused(damage):
    with _app("key-one").app_context():
        sealed = secrets_box.encrypt("secret")
    with _app("key-two").app_context(), pytest.raises(ValueError, match="cannot decrypt"):
        secrets_box.decrypt(sealed)
    with _app("key-one").app_context(), pytest.raises(ValueError, match="cannot decrypt"):
        secrets_box.decrypt(damage(sealed))

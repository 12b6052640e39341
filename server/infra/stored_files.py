"""Small immutable files in the media store (form sources and form media), written atomically."""
import hashlib
import os
import tempfile

from flask import current_app


def media_path(relative):
    return os.path.join(current_app.config["MEDIA_ROOT"], relative)


def store_bytes(relative, data):
    """Write `data` at MEDIA_ROOT/relative via a temp file and rename; returns (md5, sha256)."""
    target = media_path(relative)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temp, target)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise
    return hashlib.md5(data).hexdigest(), hashlib.sha256(data).hexdigest()


def read_bytes(relative):
    with open(media_path(relative), "rb") as fh:
        return fh.read()

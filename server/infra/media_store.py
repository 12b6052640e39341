"""The media store: files under MEDIA_ROOT, written durably and never outside it.

Uploads stream into a temp file in `MEDIA_ROOT/tmp` (the same file system, so the final move is
an atomic link) and are hashed with sha256 as they are written, so a 200 MB video never sits in
memory. `keep` fsyncs and links a temp file into its content-addressed place
`attachments/<evaluation>/<ab>/<sha256>`: a re-sent, split or carried-forward file is stored once,
and a stored file is never overwritten. Rows keep paths relative to MEDIA_ROOT; `resolve` turns
them back into absolute paths that are checked to stay inside it.
"""
import hashlib
import os
import uuid

from flask import current_app

TMP_DIR = "tmp"
ATTACHMENTS_DIR = "attachments"
_made_dirs = set()  # directories known to exist in this process: saves a syscall per upload


def media_root():
    return os.path.realpath(current_app.config["MEDIA_ROOT"])


class TempFile:
    """A file being received: write() hashes as it goes; keep() or discard() ends it."""

    def __init__(self, root):
        self.root = root
        # A random name opened exclusively: what mkstemp does, without its slow name generator.
        self.path = os.path.join(_ensure_dir(os.path.join(root, TMP_DIR)), f"up-{uuid.uuid4().hex}")
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self._file = os.fdopen(fd, "wb")
        self._sha256 = hashlib.sha256()
        self.size = 0
        self.kept_path = None  # relative path once kept

    def write(self, data):
        self._file.write(data)
        self._sha256.update(data)
        self.size += len(data)

    @property
    def sha256(self):
        return self._sha256.hexdigest()

    def close(self):
        """Flush and fsync: after this the bytes are on disk under the temp name."""
        if not self._file.closed:
            self._file.flush()
            os.fsync(self._file.fileno())
            self._file.close()

    def discard(self):
        if not self._file.closed:
            self._file.close()
        _unlink_quietly(self.path)

    def keep(self, evaluation_id):
        """Move into the content-addressed store (idempotent); returns the relative path."""
        if self.kept_path is None:
            self.close()
            digest = self.sha256
            relative = os.path.join(ATTACHMENTS_DIR, str(int(evaluation_id)), digest[:2], digest)
            _link_durably(self.path, os.path.join(self.root, relative))
            _unlink_quietly(self.path)
            self.kept_path = relative
        return self.kept_path


def new_temp():
    """A TempFile in this app's media store."""
    return TempFile(media_root())


def resolve(relative_path):
    """The absolute path of a stored file; ValueError if it would leave MEDIA_ROOT."""
    root = media_root()
    path = os.path.realpath(os.path.join(root, relative_path))
    if os.path.commonpath([root, path]) != root or path == root:
        raise ValueError(f"path outside the media store: {relative_path!r}")
    return path


def _link_durably(source, target):
    directory = _ensure_dir(os.path.dirname(target))
    try:
        # link, not rename: it never replaces a file another request already stored.
        os.link(source, target)
    except FileExistsError:
        return  # same name, same sha256: the same bytes are already there
    _fsync_dir(directory)


def _ensure_dir(path):
    if path not in _made_dirs:
        if not os.path.isdir(path):
            os.makedirs(path, exist_ok=True)
            # A fresh directory is only durable once its parents' entries are synced.
            _fsync_dir(os.path.dirname(path))
            _fsync_dir(os.path.dirname(os.path.dirname(path)))
        _made_dirs.add(path)
    return path


def _fsync_dir(path):
    # The new directory entry must survive a crash too, or a 201 could point at nothing.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass

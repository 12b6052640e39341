"""The feed's cursor: opaque to the reader, it names the evaluation and the last (mark, id) it saw, so a
cursor of another evaluation or one altered by hand is refused with a clear reason, not misread."""
import base64
import re

from server.infra.errors import Problem
from server.infra.i18n import msg

_FORMAT = re.compile(r"^v1\.(\d+)\.(\d+)\.(\d+)$")
START = (-1, 0)  # before every mark (marks are >= 0)


def encode(evaluation_id, mark, submission_id):
    raw = f"v1.{evaluation_id}.{mark}.{submission_id}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(evaluation_id, cursor):
    """(mark, id) after which to read; START for no cursor. Raises Problem feed.bad_cursor (400)."""
    if not cursor:
        return START
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raw = ""
    match = _FORMAT.match(raw)
    if match is None:
        raise Problem("feed.bad_cursor", msg("This cursor is not one the feed gave out; start without "
                                             "`after` or pass the `next_cursor` of the last page read."), 400,
                      [{"field": "after", "message": "malformed"}])
    if int(match.group(1)) != evaluation_id:
        raise Problem("feed.bad_cursor", msg("This cursor belongs to another evaluation's feed."), 400,
                      [{"field": "after", "message": "other evaluation"}])
    return int(match.group(2)), int(match.group(3))

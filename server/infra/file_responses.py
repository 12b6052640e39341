"""Streaming a stored file to a browser or an API client: the one helper both surfaces use.

Werkzeug's send_file streams in blocks (never reads the file whole), answers Range and
If-None-Match / If-Range against the ETag, and writes Content-Disposition with an RFC 6266 / 5987
`filename*` for non-ASCII names. Only media a browser shows harmlessly is served inline; anything
else (an HTML or SVG file a crafted submission could carry) is a download, sandboxed.
"""
import io

from flask import send_file

INLINE_TYPES = ("image/jpeg", "image/png", "image/gif", "image/webp", "audio/", "video/")


def send_stored(path, content_type, download_name, sha256, inline=False):
    safe = content_type.startswith(INLINE_TYPES)
    response = send_file(path, mimetype=content_type if safe else "application/octet-stream",
                         as_attachment=not (inline and safe), download_name=download_name,
                         conditional=True, etag=sha256, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


def send_attachment(attachment, path, inline=False):
    return send_stored(path, attachment.content_type or "application/octet-stream", attachment.name,
                       attachment.sha256, inline=inline)


def send_bytes(data, content_type, download_name):
    """`data` as a download named `download_name` (an XForm made on the fly, say)."""
    response = send_file(io.BytesIO(data), mimetype=content_type, as_attachment=True,
                         download_name=download_name, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

"""A tiny, configurable fake OpenRosa server for testing the Collect-faithful client itself.

It records every request (method, path, args, headers, multipart parts) and can be told to
misbehave (wrong hashes, wrong content type, 200 on HEAD or POST, auth modes). The real
end-to-end tests drive the real server; this only proves the client does what Collect does.
"""
import gzip
import hashlib

from flask import Flask, Response, current_app, request

from server.accounts.users import ha1
from server.openrosa.digest import DigestAuth
from server.openrosa.xml import FormEntry, MediaEntry, openrosa_headers, render_formlist, \
    render_manifest, render_response

REALM = "fieldcheck"
FORM = b'<h:html xmlns:h="http://www.w3.org/1999/xhtml"><h:head><h:title>Survey</h:title></h:head></h:html>'
MEDIA = {"logo.png": b"\x89PNG fake logo", "名单.csv": "name,label\n1,张三\n".encode("utf-8")}


def default_config():
    return {
        "auth": None,            # None | "digest" | "basic-only"
        "accept_length": 10_000_000, "head_status": 204, "head_location": None,
        "post_status": 201, "post_message": "上传成功",
        "xml_content_type": "text/xml; charset=utf-8", "openrosa_header": True,
        "corrupt_form": False, "corrupt_media": False, "drop_hash_prefix": False,
        "download_host": None,   # e.g. "localhost" to point downloads at another host name
    }


def create_fake(clock=None):
    app = Flask(__name__)
    app.config.update(calls=[], fake=default_config(),
                      digest=DigestAuth(b"fake-secret", REALM, nonce_ttl=60,
                                        **({"clock": clock} if clock else {})),
                      users={"enum1": ha1("enum1", REALM, "pw")})
    app.before_request(record_and_authenticate)
    app.add_url_rule("/ev/formList", view_func=form_list)
    app.add_url_rule("/ev/forms/survey.xml", view_func=form)
    app.add_url_rule("/ev/forms/survey/manifest", view_func=manifest)
    app.add_url_rule("/ev/forms/survey/attachments/<name>", view_func=media)
    app.add_url_rule("/ev/submission", view_func=submission, methods=["GET", "HEAD", "POST"])
    return app


def record_and_authenticate():
    current_app.config["calls"].append(_record())
    return _authenticate(current_app)


def form_list():
    fake = current_app.config["fake"]
    body = render_formlist([FormEntry("survey", "Survey", "1", _md5(FORM), has_media=True)],
                           _base(fake))
    if fake["drop_hash_prefix"]:
        body = body.replace(b"md5:", b"")
    return _xml(body, fake)


def form():
    body = FORM + (b"<!-- changed -->" if current_app.config["fake"]["corrupt_form"] else b"")
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        return Response(gzip.compress(body), headers={"Content-Encoding": "gzip"},
                        content_type="application/xml")
    return Response(body, content_type="application/xml")


def manifest():
    fake = current_app.config["fake"]
    media_files = [MediaEntry(name, _md5(data)) for name, data in MEDIA.items()]
    return _xml(render_manifest(media_files, _base(fake), "survey"), fake)


def media(name):
    return MEDIA[name] + (b"x" if current_app.config["fake"]["corrupt_media"] else b"")


def submission():
    fake = current_app.config["fake"]
    if request.method != "POST":
        headers = {"X-OpenRosa-Accept-Content-Length": str(fake["accept_length"])}
        if fake["head_location"]:
            headers["Location"] = fake["head_location"]
        return Response(status=fake["head_status"], headers=headers)
    body = render_response(fake["post_message"], error=fake["post_status"] >= 400)
    return Response(body, status=fake["post_status"], content_type="text/xml; charset=utf-8")


def _record():
    call = {"method": request.method, "path": request.path, "args": request.args.to_dict(),
            "headers": dict(request.headers), "host": request.host}
    if request.method == "POST":
        call["parts"] = [(name, f.filename, f.mimetype, len(f.read()))
                         for name, f in request.files.items(multi=True)]
        call["form"] = request.form.to_dict()
    return call


def _authenticate(app):
    mode = app.config["fake"]["auth"]
    if mode == "basic-only":
        if not request.authorization:
            return Response(status=401, headers={"WWW-Authenticate": f'Basic realm="{REALM}"'})
        return None
    if mode != "digest":
        return None
    auth = app.config["digest"]
    result = auth.verify(request.headers.get("Authorization"), request.method, request.path,
                         request.query_string.decode("latin-1"), app.config["users"].get)
    if result.ok:
        return None
    resp = Response(render_response("auth", error=True), status=401)
    resp.headers["WWW-Authenticate"] = auth.challenge(stale=result.stale)
    return resp


def _base(fake):
    root = request.host_url.rstrip("/")
    if fake["download_host"]:
        root = root.replace(request.host.split(":")[0], fake["download_host"], 1)
    return root + "/ev"


def _xml(body, fake):
    headers = openrosa_headers(fake["accept_length"])
    headers["Content-Type"] = fake["xml_content_type"]
    if not fake["openrosa_header"]:
        del headers["X-OpenRosa-Version"]
    return Response(body, headers=headers)


def _md5(data):
    return hashlib.md5(data).hexdigest()

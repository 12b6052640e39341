"""Digest auth interop with a real client (requests' HTTPDigestAuth) and an okhttp-style one."""
import hashlib

import pytest
import requests
from flask import Flask, Response, request
from requests.auth import HTTPDigestAuth

from server.accounts.users import ha1
from server.openrosa.digest import DigestAuth, DigestParseError, parse_authorization, uri_matches
from testkit.collect_wire import DigestState

REALM = "fieldcheck"
SECRET = b"test-secret-0123456789"


class Clock:
    def __init__(self, now=1_700_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def make_app(auth, users, secure=False):
    """A tiny app protecting every route with `auth`; records each verify result."""
    app = Flask(__name__)
    app.config["results"] = []

    @app.route("/ev/<path:rest>", methods=["GET", "HEAD", "POST"])
    def protected(rest):
        result = auth.verify(request.headers.get("Authorization"), request.method, request.path,
                             request.query_string.decode("latin-1"), users.get)
        app.config["results"].append(result)
        if result.ok:
            return f"hello {result.username}"
        resp = Response("", 401)
        for value in auth.challenges(secure=secure, stale=result.stale):
            resp.headers.add("WWW-Authenticate", value)
        return resp

    return app


@pytest.fixture
def setup(live):
    clock = Clock()
    auth = DigestAuth(SECRET, REALM, nonce_ttl=300, clock=clock)
    users = {"enum1": ha1("enum1", REALM, "s3cret 密码")}
    app = make_app(auth, users)
    return live(app), app, clock, auth, users


def test_ha1_matches_rfc2617_example():
    assert ha1("Mufasa", "testrealm@host.com", "Circle Of Life") == "939e7578ed9e3c518a452acee763bce9"


def test_rfc2617_example_response_is_computed_correctly():
    # The RFC's response is right but its nonce is not ours: so the answer is "stale", not "wrong".
    auth = DigestAuth(SECRET, "testrealm@host.com")
    header = ('Digest username="Mufasa", realm="testrealm@host.com", '
              'nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", uri="/dir/index.html", qop=auth, '
              'nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1"')
    users = {"Mufasa": ha1("Mufasa", "testrealm@host.com", "Circle Of Life")}
    result = auth.verify(header, "GET", "/dir/index.html", "", users.get)
    assert (result.ok, result.stale, result.username) == (False, True, "Mufasa")


def test_requests_digest_client_round_trip(setup):
    base, app, _, _, _ = setup
    session = requests.Session()
    session.auth = HTTPDigestAuth("enum1", "s3cret 密码")
    resp = session.get(f"{base}/ev/formList?deviceID=collect%3AABCDEFGH12345678")
    assert resp.status_code == 200 and resp.text == "hello enum1"
    first, second = app.config["results"]
    assert first.reason.startswith("malformed") and second.ok
    # later requests go pre-emptively with the same nonce and nc=2: still fresh, accepted
    assert session.post(f"{base}/ev/submission", data=b"x").status_code == 200
    assert app.config["results"][-1].ok and len(app.config["results"]) == 3


def test_challenge_format(setup):
    base, _, _, _, _ = setup
    resp = requests.get(f"{base}/ev/formList")
    assert resp.status_code == 401
    values = resp.raw.headers.getlist("WWW-Authenticate")
    assert len(values) == 1  # plain http: Digest only, never Basic
    params = parse_authorization_like(values[0])
    assert params["realm"] == REALM and params["qop"] == "auth" and params["algorithm"] == "MD5"
    assert params["nonce"] and params["opaque"] and "stale" not in params


def parse_authorization_like(challenge):
    scheme, _, rest = challenge.partition(" ")
    assert scheme == "Digest"
    fake = rest + ', username="x", uri="/", response="' + "0" * 32 + '"'
    return parse_authorization("Digest " + fake)


def test_wrong_password_is_refused_without_stale(setup):
    base, app, _, _, _ = setup
    resp = requests.get(f"{base}/ev/formList", auth=HTTPDigestAuth("enum1", "wrong"))
    assert resp.status_code == 401
    assert app.config["results"][-1].reason == "wrong credentials"
    assert "stale" not in resp.headers["WWW-Authenticate"]


def test_unknown_user_is_refused(setup):
    base, app, _, _, _ = setup
    resp = requests.get(f"{base}/ev/formList", auth=HTTPDigestAuth("nobody", "s3cret 密码"))
    assert resp.status_code == 401 and app.config["results"][-1].reason == "wrong credentials"


def test_expired_nonce_gets_stale_and_client_retries_silently(setup):
    base, app, clock, _, _ = setup
    session = requests.Session()
    session.auth = HTTPDigestAuth("enum1", "s3cret 密码")
    assert session.get(f"{base}/ev/formList").status_code == 200
    clock.now += 301
    resp = session.get(f"{base}/ev/formList")
    assert resp.status_code == 200
    stale = app.config["results"][-2]
    assert stale.stale and not stale.ok and stale.username == "enum1"
    assert app.config["results"][-1].ok


def test_okhttp_style_header_with_utf8_charset(setup):
    base, _, _, auth, users = setup
    users["调查员"] = ha1("调查员", REALM, "pw")
    url = f"{base}/ev/formList?deviceID=collect%3AABC"
    challenge = parse_authorization_like(auth.challenge())
    state = DigestState({k: challenge[k] for k in ("realm", "nonce", "opaque", "qop", "charset")})
    for _ in range(3):  # nc 1, 2, 3 on the same nonce: all fresh, all accepted
        header = state.authorization("GET", url, "调查员", "pw")
        result = auth.verify(header, "GET", "/ev/formList", "deviceID=collect%3AABC", users.get)
        assert result.ok and result.username == "调查员"
    assert "nc=00000003" in header and "qop=auth" in header and "algorithm=MD5" in header
    # Without charset okhttp-digest hashes as ASCII ('?' for 调查员): that is why we send it.
    del state.params["charset"]
    header = state.authorization("GET", url, "调查员", "pw")
    assert not auth.verify(header, "GET", "/ev/formList", "deviceID=collect%3AABC", users.get).ok


def okhttp_header(auth, users, uri="/ev/formList", **overrides):
    challenge = parse_authorization_like(auth.challenge())
    params = {k: challenge[k] for k in ("realm", "nonce", "opaque", "charset")}
    params.update(overrides)
    return DigestState(params).authorization("GET", "http://h" + uri, "enum1", "s3cret 密码")


def test_wrong_realm_is_refused(setup):
    _, _, clock, auth, users = setup
    other = DigestAuth(SECRET, "other-realm", clock=clock)
    users_other = {"enum1": ha1("enum1", "other-realm", "s3cret 密码")}
    header = okhttp_header(other, users_other)
    assert auth.verify(header, "GET", "/ev/formList", "", users.get).reason == "wrong realm"


def test_forged_or_foreign_nonce_is_stale_only_for_a_correct_password(setup):
    _, _, clock, auth, users = setup
    foreign = DigestAuth(b"another secret", REALM, clock=clock)
    header = okhttp_header(foreign, users, opaque=auth.opaque)
    result = auth.verify(header, "GET", "/ev/formList", "", users.get)
    assert result.stale and not result.ok
    forged = okhttp_header(auth, users, nonce="0.0.0")
    assert auth.verify(forged, "GET", "/ev/formList", "", users.get).stale


def test_nonce_from_the_future_is_stale(setup):
    _, _, clock, auth, users = setup
    future = DigestAuth(SECRET, REALM, clock=lambda: clock.now + 3600)
    header = okhttp_header(future, users)
    assert auth.verify(header, "GET", "/ev/formList", "", users.get).stale


def test_uri_and_opaque_and_method_must_match(setup):
    _, _, _, auth, users = setup
    header = okhttp_header(auth, users, uri="/ev/formList?x=1")
    assert auth.verify(header, "GET", "/ev/other", "x=1", users.get).reason.startswith("uri")
    assert auth.verify(header, "GET", "/ev/formList", "x=2", users.get).reason.startswith("uri")
    assert auth.verify(header, "GET", "/ev/formList", "x=1", users.get).ok
    assert auth.verify(header, "POST", "/ev/formList", "x=1", users.get).reason == "wrong credentials"
    bad = okhttp_header(auth, users, opaque="nope")
    assert auth.verify(bad, "GET", "/ev/formList", "", users.get).reason == "wrong opaque"


@pytest.mark.parametrize("header", [
    None, "", "Basic dXNlcjpwYXNz", "Digest", "Digest ", "Digest username",
    'Digest username="a", realm="fieldcheck"',  # missing nonce/uri/response
    'Digest username="a" realm="r", nonce="n", uri="/", response="x"',  # no comma
    'Digest username="a, realm="r"',  # unterminated quote
    'Digest username="a", username="b", realm="r", nonce="n", uri="/", response="x"',
    "Digest " + "a=b, " * 2000,  # oversized
])
def test_malformed_headers_are_refused(header):
    auth = DigestAuth(SECRET, REALM)
    result = auth.verify(header, "GET", "/", "", {}.get)
    assert not result.ok and result.reason.startswith("malformed")
    with pytest.raises(DigestParseError):
        parse_authorization(header)


@pytest.mark.parametrize("mutation,reason", [
    ({"qop": "auth-int"}, "qop must be auth"),
    ({"algorithm": "SHA-256"}, "unsupported algorithm"),
    ({"nc": "1"}, "missing nc or cnonce"),
    ({"response": "zz"}, "malformed response"),
])
def test_unsupported_parameters(setup, mutation, reason):
    _, _, _, auth, users = setup
    params = parse_authorization(okhttp_header(auth, users))
    params.update(mutation)
    header = "Digest " + ", ".join(f'{k}="{v}"' for k, v in params.items())
    assert auth.verify(header, "GET", "/ev/formList", "", users.get).reason == reason


def test_quoted_string_escapes_are_parsed():
    params = parse_authorization(r'Digest username="a\"b\\c", realm="r", nonce="n", uri="/", response="x"')
    assert params["username"] == 'a"b\\c'


def test_basic_is_offered_only_over_https():
    auth = DigestAuth(SECRET, REALM)
    assert [v.split()[0] for v in auth.challenges(secure=False)] == ["Digest"]
    assert [v.split()[0] for v in auth.challenges(secure=True)] == ["Digest", "Basic"]
    assert "stale=true" in auth.challenge(stale=True)


def test_uri_matches_handles_encoding_and_absolute_uris():
    assert uri_matches("/a%20b/c?x=1&y=%3A", "/a b/c", "x=1&y=:")
    assert uri_matches("http://host/a?x=1", "/a", "x=1")
    assert not uri_matches("/a", "/b", "")


def test_nonce_is_signed_and_ascii():
    auth = DigestAuth(SECRET, REALM)
    nonce = auth.make_nonce()
    assert nonce.isascii() and '"' not in nonce and auth.is_fresh(nonce)
    tampered = nonce[:-1] + ("0" if nonce[-1] != "0" else "1")
    assert auth.nonce_age(tampered) is None
    assert hashlib.md5(nonce.encode()).hexdigest()  # usable as-is in the MD5 response

"""The Collect-faithful client against a fake server: headers, auth, hashes, HEAD/POST, batching."""
import calendar
import re

import pytest

from fake_openrosa import FORM, MEDIA, create_fake
from testkit.collect_client import CollectClient, CollectProtocolError, parse_openrosa_message
from testkit.collect_wire import (COLLECT_USER_AGENT, add_query, build_instance_xml, collect_date,
                                  plan_batches)

DATE = re.compile(r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} [A-Z][a-z]{2} \d{4} "
                  r"(0[1-9]|1[0-2]):[0-5]\d:[0-5]\d GMT$")
XML = build_instance_xml("survey", "1", "uuid:11111111-2222-4333-8444-555555555555", {"q": "a"})


class Clock:
    now = 1_700_000_000.0

    def __call__(self):
        return self.now


@pytest.fixture
def fake(live):
    clock = Clock()
    app = create_fake(clock)
    app.config["clock"] = clock
    base = live(app)
    return app, base + "/ev"


def calls(app, path_end=""):
    return [c for c in app.config["calls"] if c["path"].endswith(path_end)]


def test_collect_headers_and_device_id_on_every_request(fake):
    app, url = fake
    client = CollectClient(url)
    entry = client.form_list()[0]
    client.download_all(entry)
    client.submit(XML)
    assert len(app.config["calls"]) == 7  # formList, form, manifest, 2 media, HEAD, POST
    for call in app.config["calls"]:
        headers = call["headers"]
        assert headers["User-Agent"] == COLLECT_USER_AGENT
        assert headers["X-Openrosa-Version"] == "1.0"
        assert DATE.match(headers["Date"]), headers["Date"]
        assert headers["Accept-Encoding"] == "gzip"
        assert "Accept" not in headers and "Authorization" not in headers
        assert call["args"]["deviceID"] == client.device_id
        assert re.fullmatch(r"collect:[A-Za-z0-9]{16}", client.device_id)


def test_date_is_12_hour_gmt_without_am_pm():
    afternoon = calendar.timegm((2025, 1, 31, 14, 15, 7))
    assert collect_date(afternoon) == "Fri, 31 Jan 2025 02:15:07 GMT"
    assert collect_date(calendar.timegm((2025, 1, 31, 0, 5, 0))) == "Fri, 31 Jan 2025 12:05:00 GMT"


def test_add_query_uses_ampersand_when_needed():
    assert add_query("http://h/f", "deviceID", "collect:x") == "http://h/f?deviceID=collect%3Ax"
    assert add_query("http://h/f?id=1", "deviceID", "c") == "http://h/f?id=1&deviceID=c"
    assert add_query("http://h/f?", "deviceID", "c") == "http://h/f?deviceID=c"


def test_form_list_download_and_media_with_gzip(fake):
    _, url = fake
    client = CollectClient(url)
    (entry,) = client.form_list()
    assert (entry.form_id, entry.name, entry.version) == ("survey", "Survey", "1")
    form, media = client.download_all(entry)
    assert form == FORM and media == MEDIA  # gzip decoded before hashing, as OkHttp


@pytest.mark.parametrize("setting,value,match", [
    ("openrosa_header", False, "not an OpenRosa server"),
    ("xml_content_type", "application/xml", "is not text/xml"),
    ("drop_hash_prefix", True, "lacks md5:"),
])
def test_form_list_rejects_what_collect_rejects(fake, setting, value, match):
    app, url = fake
    app.config["fake"][setting] = value
    with pytest.raises(CollectProtocolError, match=match):
        CollectClient(url).form_list()


def test_md5_mismatch_is_detected(fake):
    app, url = fake
    client = CollectClient(url)
    (entry,) = client.form_list()
    app.config["fake"]["corrupt_form"] = True
    with pytest.raises(CollectProtocolError, match="md5"):
        client.download_form(entry)
    app.config["fake"]["corrupt_media"] = True
    with pytest.raises(CollectProtocolError, match="md5"):
        client.download_media(client.manifest(entry)[0])


def test_digest_challenge_round_trip_then_preemptive(fake):
    app, url = fake
    app.config["fake"]["auth"] = "digest"
    client = CollectClient(url, "enum1", "pw")
    (entry,) = client.form_list()
    assert client.download_all(entry) == (FORM, MEDIA)  # incl. a percent-encoded 名单.csv URI
    result = client.submit(XML)
    assert result.ok, result.error
    auths = [c["headers"].get("Authorization", "") for c in app.config["calls"]]
    assert auths[0] == "" and auths[1].startswith("Digest ")  # challenge round-trip once
    assert all(a.startswith("Digest ") for a in auths[1:])  # then pre-emptive
    assert len(auths) == 8  # formList x2, form, manifest, 2 media, HEAD, POST: no more 401s
    assert [re.search(r"nc=(\w+)", a).group(1) for a in auths[1:]] == [
        f"{n:08x}" for n in range(1, 8)]


def test_stale_nonce_is_renewed_without_giving_up(fake):
    app, url = fake
    app.config["fake"]["auth"] = "digest"
    client = CollectClient(url, "enum1", "pw")
    client.form_list()
    app.config["clock"].now += 61
    assert client.form_list()
    last = [c["headers"]["Authorization"] for c in app.config["calls"][-2:]]
    assert re.search(r'nonce="([^"]+)"', last[0]).group(1) != re.search(r'nonce="([^"]+)"', last[1]).group(1)
    assert "nc=00000001" in last[1]


def test_wrong_password_gives_up_after_one_retry(fake):
    app, url = fake
    app.config["fake"]["auth"] = "digest"
    with pytest.raises(CollectProtocolError) as info:
        CollectClient(url, "enum1", "bad").form_list()
    assert info.value.response.status_code == 401
    assert len(app.config["calls"]) == 2


def test_no_credentials_for_another_host(fake):
    app, url = fake
    app.config["fake"]["auth"] = "digest"
    app.config["fake"]["download_host"] = "localhost"  # same server, different host name
    client = CollectClient(url, "enum1", "pw")
    (entry,) = client.form_list()
    assert entry.download_url.startswith("http://localhost:")
    with pytest.raises(CollectProtocolError, match="status 401"):
        client.download_form(entry)
    form_calls = calls(app, "/survey.xml")
    assert len(form_calls) == 1 and "Authorization" not in form_calls[0]["headers"]


def test_basic_is_never_sent_over_http(fake):
    app, url = fake
    app.config["fake"]["auth"] = "basic-only"
    with pytest.raises(CollectProtocolError, match="status 401"):
        CollectClient(url, "enum1", "pw").form_list()
    assert len(app.config["calls"]) == 1


def test_submit_splits_by_accepted_length_and_marks_incomplete(fake):
    app, url = fake
    app.config["fake"]["accept_length"] = len(XML) + 1000
    files = [("a.jpg", b"a" * 500), ("b.jpg", b"b" * 500), ("c.amr", b"c" * 300),
             ("d.mp4", b"d" * 2000), ("照片.jpg", b"e" * 10)]
    result = CollectClient(url).submit(XML, files, instance_filename="survey_2025-01-31_10-22-03.xml")
    assert result.ok and result.statuses == [201, 201, 201, 201]
    expected = plan_batches(len(XML), [len(c) for _, c in files], len(XML) + 1000)
    assert result.batches == [[files[i][0] for i in b] for b in expected] == [
        ["a.jpg", "b.jpg"], ["c.amr"], ["d.mp4"], ["照片.jpg"]]  # XML + a + b == limit: fits
    posts = calls(app, "/submission")[1:]
    for number, post in enumerate(posts):
        xml_part, *attachments = post["parts"]
        assert xml_part == ("xml_submission_file", "survey_2025-01-31_10-22-03.xml", "text/xml", len(XML))
        assert [(n, f) for n, f, _, _ in attachments] == [(n, n) for n in result.batches[number]]
        last = number == len(posts) - 1
        assert post["form"] == ({} if last else {"*isIncomplete*": "yes"})
    types = {n: t for p in posts for n, _, t, _ in p["parts"][1:]}
    assert types == {"a.jpg": "image/jpeg", "b.jpg": "image/jpeg", "c.amr": "audio/amr",
                     "d.mp4": "video/mp4", "照片.jpg": "image/jpeg"}
    assert result.message == "上传成功"


def test_submit_more_than_100_files_splits_after_101(fake, tmp_path):
    app, url = fake
    files = []
    for i in range(250):
        path = tmp_path / f"{i:03d}.jpg"
        path.write_bytes(b"x" * 10)
        files.append((path.name, path))
    result = CollectClient(url).submit(XML, files)
    assert result.ok and [len(b) for b in result.batches] == [101, 101, 48]


def test_plan_batches_edge_cases():
    assert plan_batches(100, [], 1000) == [[]]
    assert plan_batches(100, [5000], 1000) == [[0]]  # a lone oversize file still goes
    assert plan_batches(100, [5000, 10], 1000) == [[0], [1]]
    assert plan_batches(100, [400, 500], 1000) == [[0, 1]]  # 100 + 400 + 500 == limit: fits


def test_head_must_be_204(fake):
    app, url = fake
    app.config["fake"]["head_status"] = 200
    result = CollectClient(url).submit(XML)
    assert not result.ok and "Is this an OpenRosa submission endpoint" in result.error
    assert not calls(app, "/submission")[1:]  # no POST after a 200 HEAD


def test_head_404_falls_back_to_default_length(fake):
    app, url = fake
    app.config["fake"]["head_status"] = 404
    app.config["fake"]["accept_length"] = 10  # ignored: only read from a 204
    result = CollectClient(url).submit(XML, [("a.jpg", b"a"), ("b.jpg", b"b")])
    assert result.ok and result.accept_content_length == 10_000_000 and result.batches == [["a.jpg", "b.jpg"]]


@pytest.mark.parametrize("status,fragment", [(200, "Network login failure"), (204, "204")])
def test_post_200_or_204_is_a_failure(fake, status, fragment):
    app, url = fake
    app.config["fake"]["post_status"] = status
    result = CollectClient(url).submit(XML)
    assert not result.ok and fragment in result.error


def test_failed_batch_stops_the_sequence_and_shows_the_message(fake):
    app, url = fake
    app.config["fake"].update(post_status=409, post_message="实例编号冲突", accept_length=len(XML) + 10)
    result = CollectClient(url).submit(XML, [("a.jpg", b"a" * 8), ("b.jpg", b"b" * 8)])
    assert result.statuses == [409] and result.error == "Error: 实例编号冲突"


def test_head_location_same_host_is_followed_other_host_refused(fake):
    app, url = fake
    app.config["fake"]["head_location"] = url + "/submission"
    result = CollectClient(url).submit(XML)
    assert result.ok and "deviceID=" in result.submission_url
    app.config["fake"]["head_location"] = "https://elsewhere.example/submission"
    result = CollectClient(url).submit(XML)
    assert not result.ok and "different host" in result.error


def test_parse_openrosa_message():
    body = (b'<OpenRosaResponse xmlns="http://openrosa.org/http/response">'
            b'<message nature="">ok</message></OpenRosaResponse>')
    assert parse_openrosa_message(body) == "ok"
    assert parse_openrosa_message(b"<html><message>not ours</message></html>") is None
    assert parse_openrosa_message(b"") is None

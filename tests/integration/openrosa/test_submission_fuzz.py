"""The submission endpoint fuzzed with hypothesis: whatever the body (random bytes, a Collect body cut or
corrupted anywhere, XML mangled inside a well-formed upload), the answer is never a 5xx, and an upload
that is refused stores nothing — no submission row, no file in the media store."""
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from server.infra.extensions import db
from server.models import Submission
from testkit.collect_wire import build_instance_xml, request_headers
from tests.integration.openrosa.conftest import multipart, stored_files

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def good_body(instance="uuid:fuzz-base"):
    xml = build_instance_xml("plain", "1", instance, {"q1": "答案"})
    return multipart(xml, [("a.jpg", b"\xff\xd8 photo")])


def send(client, world, data, content_type):
    return client.post(world.base + "/submission", data=data, content_type=content_type,
                       headers=request_headers())


def check(app, client, world, data, content_type):
    before_rows, before_files = db.session.query(Submission).count(), stored_files(app)
    answer = send(client, world, data, content_type)
    db.session.rollback()
    assert answer.status_code < 500, (answer.status_code, answer.data[:300])
    if answer.status_code not in (201, 202):
        assert db.session.query(Submission).count() == before_rows
        assert stored_files(app) == before_files
    return answer


@FUZZ
@given(st.binary(max_size=4096))
def test_random_bytes_are_refused_cleanly(app, client, world, data):
    check(app, client, world, data, "multipart/form-data; boundary=fuzzboundary")


@FUZZ
@given(cut=st.integers(min_value=0, max_value=4000), flips=st.lists(
    st.tuples(st.integers(min_value=0, max_value=4000), st.integers(min_value=0, max_value=255)), max_size=4))
def test_a_collect_body_cut_or_corrupted_anywhere(app, client, world, cut, flips):
    data, content_type = good_body()
    body = bytearray(data[:cut] if cut < len(data) else data)
    for at, value in flips:
        if at < len(body):
            body[at] = value
    check(app, client, world, bytes(body), content_type)


@FUZZ
@given(st.text(max_size=300), st.sampled_from(["q1", "meta", "instanceID", "data", "plain"]))
def test_xml_mangled_inside_a_well_formed_upload(app, client, world, text, where):
    xml = build_instance_xml("plain", "1", "uuid:fuzz-xml", {"q1": "x"}).decode("utf-8")
    marker = f"<{where}" if f"<{where}" in xml else "<q1"
    mangled = xml.replace(marker, text + marker, 1).encode("utf-8", "surrogatepass")
    data, content_type = multipart(mangled)
    check(app, client, world, data, content_type)


def test_the_fuzzed_endpoint_still_takes_a_good_upload(app, client, world):
    """The mirror case: the check above passes for the right reason (a good body is stored)."""
    answer = check(app, client, world, *good_body("uuid:fuzz-good"))
    assert answer.status_code == 201
    assert db.session.query(Submission).filter_by(instance_id="uuid:fuzz-good").count() == 1

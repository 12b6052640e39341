"""End to end: interviews posted over OpenRosa by a Collect-faithful client, checked by the worker,
read back through the JSON API over HTTP. Each has exactly the expected findings and status."""
import pytest
import requests
from rq import SimpleWorker

from server.accounts import api_tokens
from server.infra.extensions import db, rq
from testkit.collect_client import CollectClient
from testkit.factories import make_enumerator, make_evaluation
from testkit.recusal_factories import (assign, at, interview_fields, interview_xml, make_households,
                                       publish_interview_form)

pytestmark = pytest.mark.e2e
KM_PER_DEGREE = 111.19508
PHOTOS = [("house.jpg", b"\xff\xd8 house"), ("inside.jpg", b"\xff\xd8 inside"),
          ("sign.jpg", b"\xff\xd8 sign")]


@pytest.fixture
def field(app, live_server):
    app.config["PUBLIC_URL"] = live_server
    evaluation = make_evaluation("county1")
    publish_interview_form(evaluation)
    visitor, visitor_key = make_enumerator(evaluation, "enum1", display_name="张调查", county="海淀区",
                                           county_code="110108")
    local, local_key = make_enumerator(evaluation, "local1", display_name="王本地", county="阿尔山市",
                                       county_code="150782")
    households = make_households(evaluation, 5)
    for household, _ in households[:4]:
        assign(evaluation, visitor, household)
    # An admin's override lets the assignment through; the rules still flag the interview.
    assign(evaluation, local, households[4][0], justification="只有他会说当地方言，组长批准。")
    _, secret = api_tokens.create_token(evaluation, "e2e", "read", actor="test")
    db.session.commit()
    rows = [(h.latitude, h.longitude, token) for h, token in households]
    return {"visitor": visitor_key, "local": local_key, "households": rows, "api": secret,
            "base": live_server}


def post(field, key, fields):
    client = CollectClient(f"{field['base']}/key/{field[key]}/county1")
    instance_id, xml = interview_xml(fields)
    result = client.submit(xml, PHOTOS)
    assert result.ok, (result.statuses, result.error)
    return instance_id


def household(field, index):
    lat, lon, token = field["households"][index]
    return type("H", (), {"latitude": lat, "longitude": lon})(), token


def test_each_interview_gets_exactly_its_findings(field):
    h0, t0 = household(field, 0)
    h1, t1 = household(field, 1)
    h2, t2 = household(field, 2)
    h3, t3 = household(field, 3)
    h4, t4 = household(field, 4)
    far = f"{h3.latitude + 3.4 / KM_PER_DEGREE} {h3.longitude} 1200 6"
    expected = {
        post(field, "visitor", interview_fields(t0, h0, start=at(8, 0),
                                                present=("respondent", "township_cadre"))):
            (["REC-01"], "excluded"),
        post(field, "local", interview_fields(t4, h4, start=at(9, 0), enumerator="local1")):
            (["REC-02"], "excluded"),
        post(field, "visitor", interview_fields(t1, h1, start=at(10, 0), minutes=9)): (["TIM-01"], "review"),
        post(field, "visitor", interview_fields(t3, h3, start=at(13, 0), gps=far)): (["GPS-03"], "review"),
        post(field, "visitor", interview_fields(t2, h2, start=at(16, 0))): ([], "clean"),
    }
    SimpleWorker(rq.queues(), connection=rq.connection).work(burst=True)

    api = requests.Session()
    api.headers["Authorization"] = f"Bearer {field['api']}"
    for instance_id, (codes, status) in expected.items():
        detail = api.get(f"{field['base']}/api/v1/evaluations/county1/submissions/{instance_id}").json()
        assert (detail["codes"], detail["status"]) == (codes, status), (instance_id, detail["findings"])
        assert [f["code"] for f in detail["findings"]] == codes  # nothing could-not-run either
        assert sorted(a["name"] for a in detail["attachments"]) == ["house.jpg", "inside.jpg", "sign.jpg"]
    far = next(i for i, (c, _) in expected.items() if c == ["GPS-03"])
    detail = api.get(f"{field['base']}/api/v1/evaluations/county1/submissions/{far}").json()
    far_finding = detail["findings"][0]
    assert far_finding["evidence"] == {"distance_km": 3.4, "limit_km": 2.0}
    assert far_finding["message"]["en"] == "GPS 3.4 km from the registered dwelling, limit 2 km"
    url = f"{field['base']}/api/v1/evaluations/county1/submissions?status=excluded"
    listing = api.get(url).json()["items"]
    assert sorted(i["codes"][0] for i in listing) == ["REC-01", "REC-02"]

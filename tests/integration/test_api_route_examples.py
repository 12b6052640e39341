"""Every API route's worked example on the docs page (/api/v1/docs), and examples that are true.

Walked from app.url_map like test_api_roles: a route that reads a JSON body must document its request
schema and an example of it (`documented(example=...)`, which must pass that schema), a route that answers
JSON its answer schema and an example answer (`response_example=...`), a route that answers a file the
media type(s) it sends, and a route that answers nothing its 204.

Then the examples are held against a real server: a county seeded through testkit where the examples'
names exist (the admin wang.jun, the enumerators zhangwei and liqiang, the households 150782101201000001
to ...04, the shipped form fc_household_interview). Each route is called with its documented request
example as the body (ids the server makes, such as sample unit ids, are swapped in) and must answer its
documented status, and a body with the same keys and JSON types as its response_example: recursively,
through dicts and the first item of each list. A null on either side says nothing of the type (nullable
fields); fields holding free-form data (FREE) need only hold the keys the example shows; maps keyed by data
(MAPS) compare their first values. A file route must answer one of its documented media types.
"""
import hashlib
import inspect
import io
import re
from fnmatch import fnmatch

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from server.api import route_examples as examples
from server.api.openapi import _openapi_path
from server.feed import webhooks
from server.infra.extensions import db
from server.models import (BackcheckTarget, Enumerator, Evaluation, Household, HouseholdToken,
                           Submission)
from server.pipeline import outbox
from server.questionnaires import forms_service
from tests.integration.figures.test_backchecks import BACKCHECK_FORM, backcheck_fields, submit_backcheck
from testkit.dashboard_world import photo_bytes, store_photos
from testkit.factories import make_enumerator, make_evaluation, make_user
from testkit.figures_factories import fields_for, run_worker
from testkit.household_factories import make_record
from testkit.openrosa_factories import MEDIA, SURVEY
from testkit.recusal_factories import FORM_ID, assign, make_households, publish_interview_form, submit
from testkit.register_files import csv_bytes, register_rows

E = "/api/v1/evaluations/county1"
# The documentation itself: the page and the machine-readable document are not in the document.
UNDOCUMENTED = {("GET", "/api/v1/docs"), ("GET", "/api/v1/openapi.json")}
# Fields whose content is data rather than a fixed shape (a household's record, an interview's answers,
# evidence, settings, a job's result): the real answer must hold every key the example shows, and may
# hold more.
FREE = {"record", "answers", "evidence", "details", "classification", "effective", "overrides", "contract",
        "fields", "params", "payload", "result", "problem", "comparison", "effective_flags", "counters",
        "names", "design", "filters", "outbox"}
# Maps keyed by data (team names, strata, unit ids, field types, queue names): their first values compare.
MAPS = {"teams", "strata", "states", "per_100", "by_enumerator_and_type", "queues"}
# JSON routes the walk below does not call, and why.
NOT_CALLED = {}


def _api_routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("api."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, rule.rule, app.view_functions[rule.endpoint]


def _kind(route):
    """json, file or empty, from what the route documents."""
    doc = route._api_doc
    if doc["content_type"] is not None:
        return "file"
    return "empty" if doc["status"] == 204 else "json"


def test_every_route_documents_its_request_and_answer_with_examples(app):
    problems = [(method, rule, problem) for method, rule, view in _api_routes(app)
                if (method, rule) not in UNDOCUMENTED for problem in _documentation_problems(view)]
    assert problems == []


def _documentation_problems(view):
    doc = getattr(view, "_api_doc", None)
    if doc is None:
        return ["not documented"]
    source = inspect.getsource(inspect.unwrap(view))
    problems = []
    if "get_json(" in source or "_json_body(" in source:  # reads a JSON body
        if doc["request"] is None or doc["example"] is None:
            problems.append("reads JSON: needs request= and example=")
    elif doc["example"] is not None:
        problems.append("an example of a body the route does not read")
    if doc["request"] is not None and doc["example"] is not None:
        schema = doc["request"]() if isinstance(doc["request"], type) else doc["request"]
        if schema.validate(doc["example"]):
            problems.append(f"the example fails its schema: {schema.validate(doc['example'])}")
    kind, answers_json = _kind(view), "jsonify(" in source or 'mimetype="application/json"' in source
    if kind == "json" and (doc["response"] is None or doc["response_example"] is None):
        problems.append("answers JSON: needs response= and response_example=")
    if kind != "json" and (answers_json or doc["response_example"] is not None):
        problems.append(f"documented as {kind}, but answers JSON")
    if (kind == "empty") != ('return "", 204' in source):
        problems.append(f"documented {doc['status']}, but answers {'a body' if kind == 'empty' else 204}")
    return problems


def test_the_docs_page_shows_every_example_and_media_type(client, app):
    text = client.get("/api/v1/docs?lang=zh").get_data(as_text=True)
    sections = dict(re.findall(r'<h3 id="([^"]+)">(.*?)(?=<h3 |<h2 )', text, re.S))
    for method, rule, view in _api_routes(app):
        if (method, rule) in UNDOCUMENTED:
            continue
        doc, section = view._api_doc, sections[f"{method.lower()}-{_openapi_path(rule)}"]
        examples_shown = section.count('<pre class="example">')
        assert examples_shown == (doc["example"] is not None) + (doc["response_example"] is not None), rule
        types = doc["content_type"] or ()
        for media_type in (types,) if isinstance(types, str) else types:
            assert f"<code>{media_type}</code>" in section, (method, rule)


# --- the examples against a real server ------------------------------------------------------------------

def shape_errors(shown, real, path="", free=False):
    """How `real` differs from the documented `shown` in keys and JSON types (see the module's doc)."""
    if shown is None or real is None:
        return []
    if _json_type(shown) != _json_type(real):
        return [f"{path or 'body'}: {_json_type(shown)} documented, {_json_type(real)} answered"]
    name = path.rsplit(".", 1)[-1].removesuffix("[]")
    if isinstance(shown, list):
        return shape_errors(shown[0], real[0], f"{path}[]", free) if shown and real else []
    if not isinstance(shown, dict):
        return []
    if name in MAPS:
        if not (shown and real):
            return []
        return shape_errors(next(iter(shown.values())), next(iter(real.values())), f"{path}.*", free)
    free = free or name in FREE
    errors = []
    if set(shown) - set(real):
        errors.append(f"{path or 'body'}: documented, not answered: {sorted(set(shown) - set(real))}")
    if set(real) - set(shown) and not free:
        errors.append(f"{path or 'body'}: answered, not documented: {sorted(set(real) - set(shown))}")
    for key in sorted(shown.keys() & real.keys()):
        errors += shape_errors(shown[key], real[key], f"{path}.{key}" if path else key, free)
    return errors


def _json_type(value):
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return {str: "string", list: "array", dict: "object"}[type(value)]


def test_shape_errors_names_what_differs():
    shown = {"items": [{"id": 1, "name": "张伟", "record": {"a": 1}}], "next_cursor": None}
    assert shape_errors(shown, {"items": [{"id": 2, "name": "李强", "record": {"a": 2, "b": 3}}],
                                "next_cursor": "x"}) == []
    assert shape_errors(shown, {"items": [{"id": "2", "name": "李强", "record": {"b": 3}}, 5],
                                "next_cursor": None, "more": True}) == [
        "body: answered, not documented: ['more']", "items[].id: number documented, string answered",
        "items[].record: documented, not answered: ['a']"]
    assert shape_errors({"teams": {"一组": 2}}, {"teams": {"回访组": 1}}) == []


SAME = object()


class Walk:
    """Calls routes as one client, checks each answer against the route's documentation."""

    def __init__(self, app, client):
        self.app, self.client, self.headers = app, client, {}
        self.adapter = app.url_map.bind("localhost")
        self.failures, self.called = [], set()

    def __call__(self, method, url, body=SAME, root="", compare=True, **kwargs):
        rule, _ = self.adapter.match(url.split("?")[0], method=method, return_rule=True)
        doc = self.app.view_functions[rule.endpoint]._api_doc
        body = doc["example"] if body is SAME else body
        if body is not None:
            kwargs["json"] = body
        answer = self.client.open(url, method=method, headers={**self.headers, **kwargs.pop("headers", {})},
                                  **kwargs)
        self.called.add((method, rule.rule))
        where = f"{method} {rule.rule}"
        if answer.status_code != doc["status"]:
            self.failures.append(f"{where}: {answer.status_code}, documented {doc['status']}: "
                                 f"{answer.get_data(as_text=True)[:400]}")
        elif doc["content_type"] is not None:
            types = (doc["content_type"],) if isinstance(doc["content_type"], str) else doc["content_type"]
            if not any(fnmatch(answer.mimetype, t) for t in types):
                self.failures.append(f"{where}: {answer.mimetype} answered, documented {types}")
        elif doc["response_example"] is not None and compare:
            errors = shape_errors(doc["response_example"], answer.get_json(), root)
            self.failures += [f"{where}: {e}" for e in errors]
        elif doc["response_example"] is None and answer.get_data():
            self.failures.append(f"{where}: a body, documented none")
        return answer

    def sign_in(self, login):
        answer = self("POST", "/api/v1/session", body=login)
        self.headers = {"X-CSRF-Token": answer.json["csrf_token"]}
        return answer


def seed(app):
    """The county the examples describe; returns {name: value} of what the calls need."""
    evaluation = make_evaluation("county1", name="2020 年阿尔山市退出评估")
    publish_interview_form(evaluation)
    forms_service.publish_form(evaluation, BACKCHECK_FORM.read_bytes(), BACKCHECK_FORM.name, actor="test")
    zhang, _ = make_enumerator(evaluation, "zhangwei", display_name="张伟", province="北京市", county="海淀区",
                               township="", village="", county_code="110108", team="一组",
                               phone="13800000000")
    make_enumerator(evaluation, "liqiang", display_name="李强", province="北京市", county="海淀区",
                    township="", village="", county_code="110108", team="回访组")
    make_user(examples.LOGIN_EXAMPLE["username"], "admin", evaluation,
              password=examples.LOGIN_EXAMPLE["password"])
    make_user("root", "admin", None, password=examples.LOGIN_EXAMPLE["password"])
    webhooks.subscribe(evaluation, "http://127.0.0.1:9/fieldcheck/hooks", ["interview.checked"], "test")
    db.session.commit()
    households = make_households(evaluation, 4, start=1)  # 150782101201000001 ... 04
    for household, _ in households[:3]:
        assign(evaluation, zhang, household)
    (h1, t1), (h2, t2), (h3, t3), _ = households
    far = f"{h2.latitude + 0.05} {h2.longitude + 0.05} 1200.0 8.0"  # some 6 km from the dwelling: GPS-03
    rows = [submit(evaluation, zhang, fields_for(t1, h1, enumerator="zhangwei")),
            submit(evaluation, zhang, fields_for(t2, h2, enumerator="zhangwei", cover__gps=far)),
            submit(evaluation, zhang, fields_for(t3, h3, enumerator="zhangwei", income=1000)),  # 错退
            submit(evaluation, zhang, fields_for(None, None, enumerator="zhangwei"))]  # no card
    # An interview whose XML cannot be parsed fails for good: the failed events list it.
    xml = "<data><n>1</n"
    broken = Submission(evaluation_id=evaluation.id, form_version_id=rows[0].form_version_id,
                        enumerator_id=zhang.id, instance_id="uuid:broken", root_instance_id="uuid:broken",
                        xml=xml, xml_sha256=hashlib.sha256(xml.encode()).hexdigest())
    db.session.add(broken)
    db.session.flush()
    outbox.emit("submission.received", {"submission_id": broken.id}, evaluation.id)
    db.session.commit()
    for row in rows:  # the photos in the media store before the chain covers them
        store_photos(app, row, photo_bytes())
    run_worker()
    return {"clean": rows[0].instance_id, "flagged": rows[1].instance_id, "exited": rows[2].instance_id,
            "no_card": rows[3].instance_id}


def test_the_examples_are_what_the_server_answers(app, client):
    world = seed(app)
    walk = Walk(app, client)
    run(walk, app, world)
    assert walk.failures == [], "\n".join(walk.failures)
    json_routes = {(m, r) for m, r, v in _api_routes(app)
                   if (m, r) not in UNDOCUMENTED and _kind(v) == "json"}
    assert json_routes - walk.called == set(NOT_CALLED)
    assert len(walk.called) >= 15


def run(walk, app, world):
    walk.sign_in(examples.LOGIN_EXAMPLE)
    walk("GET", "/api/v1/evaluations")
    walk("GET", "/api/v1/rules")
    _households(walk)
    _forms(walk)
    _submissions(walk, world)
    _fieldwork(walk)
    _settings(walk)
    _users_and_tokens(walk)
    _site_admin(walk, app)
    walk("DELETE", f"{E}/households/150782101201000004")
    walk.headers = {"X-CSRF-Token": walk("PUT", "/api/v1/session/password").json["csrf_token"]}
    walk("DELETE", "/api/v1/session")


def _households(walk):
    h1 = "150782101201000001"
    walk("POST", f"{E}/households/batch")
    walk("GET", f"{E}/households?limit=2")
    walk("GET", f"{E}/households/{h1}")
    walk("GET", f"{E}/households/{h1}/interviews")
    walk("GET", f"{E}/villages")
    walk("GET", f"{E}/households/changes?limit=2")
    walk("GET", f"{E}/households/{h1}/card")
    walk("POST", f"{E}/households/150782101201000004/card")
    walk("DELETE", f"{E}/households/150782101201000004/card")
    walk("POST", f"{E}/households/{examples.RECORD_EXAMPLE['archive_id']}/withdraw")
    walk("GET", f"{E}/villages/150782101201/cards")
    walk("GET", f"{E}/register/template?format=csv")
    upload = {"file": (io.BytesIO(csv_bytes(register_rows([make_record(5)]))), "register.csv")}
    job = walk("POST", f"{E}/households/import", data=upload, content_type="multipart/form-data").json
    run_worker()
    walk("GET", job["status_url"], compare=False)  # an import's result (the example is a form's)
    walk("GET", f"{E}/households/{h1}/file")


def _forms(walk):
    walk("GET", f"{E}/forms")
    walk("GET", f"{E}/forms/{FORM_ID}")
    version = walk("GET", f"{E}/forms/{FORM_ID}").json["current_version"]["id"]
    walk("GET", f"{E}/forms/{FORM_ID}/versions/{version}")
    walk("GET", f"{E}/forms/{FORM_ID}/contract")
    walk("GET", f"{E}/forms/{FORM_ID}/versions/{version}/xform")
    walk("GET", f"{E}/forms/{FORM_ID}/versions/{version}/xlsform")
    source = SURVEY.format(form_id="village_survey", version="2026051201").encode()
    upload = {"file": (io.BytesIO(source), "village_survey.md"), "publish": "no"}
    job = walk("POST", f"{E}/forms", data=upload, content_type="multipart/form-data").json
    run_worker()
    draft = walk("GET", job["status_url"]).json["result"]["version_id"]
    base = f"{E}/forms/village_survey/versions/{draft}"
    walk("POST", f"{base}/media", data={n: (io.BytesIO(b), n) for n, b in MEDIA.items()},
         content_type="multipart/form-data")
    walk("POST", f"{base}/publish")
    walk("PATCH", f"{E}/forms/village_survey")
    walk("PUT", f"{E}/forms/village_survey/audience")


def _submissions(walk, world):
    walk("GET", f"{E}/submissions?limit=2")
    walk("GET", f"{E}/submissions/{world['flagged']}")
    walk("GET", f"{E}/submissions/{world['exited']}/reconciliation")
    walk("GET", f"{E}/submissions/{world['clean']}/attachments/house.jpg")
    walk("POST", f"{E}/submissions/{world['flagged']}/review")
    walk("POST", f"{E}/submissions/{world['exited']}/classification")
    walk("POST", f"{E}/submissions/{world['no_card']}/household")
    walk("GET", f"{E}/figures")
    walk("GET", f"{E}/figures/wrongly_exited_rate/interviews?part=denominator")
    walk("GET", f"{E}/changes?limit=1")
    walk("GET", f"{E}/chain/verify")
    walk("GET", f"{E}/chain/digest")
    failed = walk("GET", f"{E}/events/failed").json
    walk("POST", f"{E}/events/{failed[0]['id']}/retry")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption()).decode()
    body = {k: v for k, v in examples.DECRYPTION_EXAMPLE.items() if k != "passphrase"}
    walk("POST", f"{E}/decryptions", body={**body, "private_key": pem})
    run_worker()


def _fieldwork(walk):
    walk("GET", f"{E}/enumerators")
    walk("GET", f"{E}/enumerators/zhangwei")
    walk("GET", f"{E}/enumerators/zhangwei/assignments")
    walk("GET", f"{E}/enumerators/zhangwei/qr")
    walk("GET", f"{E}/enumerators/zhangwei/qr.png")
    walk("GET", f"{E}/enumerator-sheet?username=zhangwei")
    walk("GET", f"{E}/teams", root="teams")
    walk("POST", f"{E}/enumerators")
    walk("PATCH", f"{E}/enumerators/{examples.ENUMERATOR_CREATE_EXAMPLE['username']}")
    walk("PUT", f"{E}/enumerators/liqiang/password")
    walk("POST", f"{E}/enumerators/liqiang/token")
    made = walk("POST", f"{E}/assignments").json
    walk("GET", f"{E}/assignments")
    walk("DELETE", f"{E}/assignments/{made['id']}")
    sample = walk("POST", f"{E}/samples").json
    walk("GET", f"{E}/samples")
    walk("GET", f"{E}/samples/{sample['id']}")
    households = [u for u in sample["units"] if u["archive_id"]]
    free = [u["id"] for u in households if not u["assigned_to"]]
    walk("POST", f"{E}/samples/{sample['id']}/assignments", body={**examples.ASSIGN_EXAMPLE, "units": free})
    walk("POST", f"{E}/samples/{sample['id']}/units/{households[-1]['id']}/substitute")
    walk("GET", f"{E}/samples/{sample['id']}/coverage")
    walk("POST", f"{E}/backchecks/draw")
    _backcheck_a_target()
    walk("GET", f"{E}/backchecks")
    walk("GET", f"{E}/backchecks/report")
    job = walk("POST", f"{E}/exports").json
    run_worker()
    walk("GET", job["status_url"])
    walk("GET", job["status_url"] + "/file")
    job = walk("POST", f"{E}/villages/150782101201/household-files").json
    run_worker()
    walk("GET", job["status_url"], compare=False)  # a village's files (the example is a form's export)
    walk("GET", job["status_url"] + "/file")
    walk("GET", f"{E}/report")


def _backcheck_a_target():
    """liqiang goes back to the first drawn household with the back-check questionnaire."""
    target = db.session.query(BackcheckTarget).order_by(BackcheckTarget.id).first()
    household = db.session.get(Household, target.household_id)
    token = db.session.query(HouseholdToken.token).filter_by(household_id=household.id,
                                                             revoked_at=None).scalar()
    checker = db.session.get(Enumerator, target.backchecker_id)
    submit_backcheck(db.session.get(Evaluation, target.evaluation_id), checker,
                     backcheck_fields(token, household, enumerator=checker.username))
    run_worker()


def _settings(walk):
    walk("GET", f"{E}/rules")
    walk("PUT", f"{E}/rules")
    walk("GET", f"{E}/recusal")
    walk("PUT", f"{E}/recusal")
    walk("GET", f"{E}/reconciliation/settings")
    walk("PUT", f"{E}/reconciliation/settings")
    job = walk("POST", f"{E}/recheck").json
    walk("GET", job["status_url"])
    run_worker()
    walk("GET", f"{E}/webhooks")
    subscription = walk("GET", f"{E}/webhooks").json[0]["id"]
    deliveries = walk("GET", f"{E}/webhooks/{subscription}/deliveries").json
    walk("POST", f"{E}/webhooks/{subscription}/deliveries/{deliveries[0]['id']}/redeliver")
    walk("POST", f"{E}/webhooks/{subscription}/enable")
    made = walk("POST", f"{E}/webhooks").json
    walk("DELETE", f"{E}/webhooks/{made['id']}")


def _users_and_tokens(walk):
    token = walk("POST", f"{E}/tokens").json
    walk("GET", f"{E}/tokens")
    walk("DELETE", f"{E}/tokens/{token['id']}")
    name = examples.NEW_USER_EXAMPLE["username"]
    walk("POST", f"{E}/users")
    walk("GET", f"{E}/users")
    walk("PUT", f"{E}/users/{name}/role")
    walk("POST", f"{E}/users/{name}/password")
    walk("POST", f"{E}/users/{name}/deactivate")
    walk("POST", f"{E}/users/{name}/activate")
    walk("GET", f"{E}/audit?action=member.role&limit=2")
    walk("DELETE", f"{E}/users/{name}")


def _site_admin(walk, app):
    admin = Walk(app, app.test_client())
    admin.sign_in({**examples.LOGIN_EXAMPLE, "username": "root"})
    admin("GET", "/api/v1/workers")
    admin("DELETE", f"/api/v1/users/{examples.NEW_USER_EXAMPLE['username']}/sessions")
    admin("POST", f"/api/v1/users/{examples.NEW_USER_EXAMPLE['username']}/deactivate")
    walk.failures += admin.failures
    walk.called |= admin.called

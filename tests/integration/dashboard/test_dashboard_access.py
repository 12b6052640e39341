"""Every dashboard route against every kind of visitor: the expected answer of each, in one table.

Visitors: signed out, a viewer, a supervisor and an admin of county1, and a supervisor of another evaluation.
"""
import secrets

import pytest

from server.dashboard import bp
from server.exports import request as export_request, service
from server.infra.extensions import db
from testkit.recusal_factories import FORM_ID
from tests.integration.recusal.conftest import run_worker
from server.models import Form, FormVersion
from server.households import sampling
from testkit.dashboard_world import build_world
from tests.integration.dashboard.helpers import csrf, session_csrf, sign_in

OUT, VIEWER, SUPERVISOR, ADMIN, OTHER = "out", "viewer", "supervisor", "admin", "other"
LOGIN = "login"  # a redirect to the sign-in page
USERS = {VIEWER: "view1", SUPERVISOR: "sup1", ADMIN: "adm1", OTHER: "other1"}


def admins(status):
    """A route for admins only: `status` for the admin, 403 for the others of the evaluation."""
    return {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 403, ADMIN: status, OTHER: 404}


# (method, url template, {visitor: expected status or LOGIN})
E = "/dashboard/county1"
ONE = "/dashboard/county1/interviews/{flagged}"
EXPORT = "/dashboard/county1/exports/{export}"  # a finished export of county1
FORM = "/dashboard/county1/forms/fc_household_interview"
VERSION = FORM + "/versions/{version}"
ENUM = "/dashboard/county1/enumerators/enum1"
TABLE = [
    ("GET", "/", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 200}),
    ("GET", "/login", {OUT: 200, VIEWER: 302, SUPERVISOR: 302, ADMIN: 302, OTHER: 302}),
    ("POST", "/login", {OUT: 401, VIEWER: 401, SUPERVISOR: 401, ADMIN: 401, OTHER: 401}),  # no credentials
    ("POST", "/logout", {OUT: 302, VIEWER: 302, SUPERVISOR: 302, ADMIN: 302, OTHER: 302}),
    ("POST", "/dashboard/language", {OUT: 302, VIEWER: 302, SUPERVISOR: 302, ADMIN: 302, OTHER: 302}),
    ("GET", E + "/", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/interviews", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", ONE, {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", ONE + "/attachments/house.jpg",
     {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", ONE + "/review", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 302, ADMIN: 302, OTHER: 404}),
    ("POST", ONE + "/classification", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 302, ADMIN: 302, OTHER: 404}),
    ("POST", E + "/pipeline/999/retry", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 404, ADMIN: 404, OTHER: 404}),
    ("POST", E + "/interviews/bulk", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 302, ADMIN: 302, OTHER: 404}),
    ("GET", E + "/jobs/nojob", {OUT: LOGIN, VIEWER: 404, SUPERVISOR: 404, ADMIN: 404, OTHER: 404}),
    ("GET", E + "/figures", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/figures/exit_accuracy/interviews",
     {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/enumerators", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/exports", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", E + "/exports", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 302, ADMIN: 302, OTHER: 404}),
    ("GET", EXPORT, {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", EXPORT + "/status", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", EXPORT + "/file", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/households", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/households/{household}",
     {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/register/import", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", E + "/register/import",  # no file: the form's answer, nothing imported
     {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 400, ADMIN: 400, OTHER: 404}),
    ("GET", E + "/register/template/xlsx",
     {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/villages/{village}/cards",
     {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/households/{household}/file",  # 一户一档: whoever may read the archive feed
     {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", E + "/villages/{village}/household-files",  # a village's in one ZIP: an export job
     {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 303, ADMIN: 303, OTHER: 404}),
    ("GET", E + "/samples", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", E + "/samples", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 422, ADMIN: 422, OTHER: 404}),  # no design
    ("GET", E + "/samples/{sample}", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", E + "/samples/{sample}/assign",  # no enumerator chosen
     {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 422, ADMIN: 422, OTHER: 404}),
    ("POST", E + "/samples/{sample}/substitute",  # no unit chosen
     {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 404, ADMIN: 404, OTHER: 404}),
    ("GET", "/dashboard/nosuch/", {OUT: LOGIN, VIEWER: 404, SUPERVISOR: 404, ADMIN: 404, OTHER: 404}),
    # Users and roles, the audit log, the settings: admins only ("users", "settings")
    ("GET", E + "/users", admins(200)),
    ("POST", E + "/users", admins(422)),  # no username
    ("POST", E + "/users/view1/role", admins(302)),
    ("GET", E + "/users/new-password/nokey", admins(410)),
    ("GET", E + "/audit", admins(200)),
    ("GET", E + "/settings", admins(200)),
    ("POST", E + "/settings/rules", admins(422)),  # an empty form: REC-02's level is missing
    ("POST", E + "/settings/recusal-level", admins(422)),
    ("POST", E + "/settings/reconciliation", admins(422)),
    ("POST", E + "/settings/figures", admins(422)),
    ("POST", E + "/settings/recheck", admins(302)),
    ("GET", E + "/settings/recheck/nojob", admins(404)),
    # Forms (issue 18): reading is for every role, changing is the "forms" action; an upload without a
    # file and media without files are answered next to the field (422).
    ("GET", E + "/forms", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", E + "/forms", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 422, ADMIN: 422, OTHER: 404}),
    ("GET", E + "/form-jobs/nojob", {OUT: LOGIN, VIEWER: 404, SUPERVISOR: 404, ADMIN: 404, OTHER: 404}),
    ("GET", FORM, {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", FORM + "/state", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 303, ADMIN: 303, OTHER: 404}),
    ("POST", FORM + "/audience", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 303, ADMIN: 303, OTHER: 404}),
    ("GET", VERSION, {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", VERSION + "/publish", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 303, ADMIN: 303, OTHER: 404}),
    ("POST", VERSION + "/media", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 422, ADMIN: 422, OTHER: 404}),
    ("GET", VERSION + "/xlsform", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", VERSION + "/xform", {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", FORM + "/versions/999999", {OUT: LOGIN, VIEWER: 404, SUPERVISOR: 404, ADMIN: 404, OTHER: 404}),
    # Enumerators (issue 18): the QR code, the sheet and every change are the "enumerators" action; a
    # create or an edit with empty fields is answered next to the fields (422).
    ("GET", ENUM, {OUT: LOGIN, VIEWER: 200, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("POST", E + "/enumerators", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 422, ADMIN: 422, OTHER: 404}),
    ("POST", ENUM, {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 422, ADMIN: 422, OTHER: 404}),
    ("POST", ENUM + "/active", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 303, ADMIN: 303, OTHER: 404}),
    ("POST", ENUM + "/password", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 422, ADMIN: 422, OTHER: 404}),
    ("POST", ENUM + "/token", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 303, ADMIN: 303, OTHER: 404}),
    ("GET", ENUM + "/qr", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/enumerator-sheet", {OUT: LOGIN, VIEWER: 403, SUPERVISOR: 200, ADMIN: 200, OTHER: 404}),
    ("GET", E + "/enumerators/nobody", {OUT: LOGIN, VIEWER: 404, SUPERVISOR: 404, ADMIN: 404, OTHER: 404}),
]
POST_FIELDS = {"action": "comment", "reason": "checked on the phone call", "flag": "wrongly_exited",
               "decision": "reject", "language": "en", "next": "/", "form": FORM_ID, "format": "csv",
               "state": "open", "active": "yes"}


def test_the_table_covers_every_dashboard_route():
    from flask import Flask

    app = Flask(__name__)
    app.register_blueprint(bp)
    rules = {(m, r.rule) for r in app.url_map.iter_rules() if r.endpoint.startswith("dashboard.")
             for m in r.methods - {"HEAD", "OPTIONS"}}
    covered = {(m, _as_rule(url)) for m, url, _ in TABLE}
    assert rules <= covered, sorted(rules - covered)


def _as_rule(url):
    return (url.replace("{flagged}", "<instance_id>").replace("house.jpg", "<name>")
            .replace("/999/", "/<int:event_id>/").replace("nojob", "<job_id>")
            .replace("exit_accuracy", "<figure>").replace("{export}", "<job_id>")
            .replace("/users/view1/role", "/users/<username>/<change>")
            .replace("nokey", "<key>")
            .replace("{version}", "<int:version_id>")
            .replace("/fc_household_interview", "/<form_id>").replace("/enum1", "/<username>")
            .replace("{household}", "<archive_id>")
            .replace("{village}", "<village_code>").replace("{sample}", "<int:sample_id>")
            .replace("/template/xlsx", "/template/<kind>")
            .replace("/dashboard/county1", "/dashboard/<code>")
            .replace("/dashboard/nosuch", "/dashboard/<code>"))


@pytest.mark.parametrize("visitor", [OUT, VIEWER, SUPERVISOR, ADMIN, OTHER])
def test_each_route_answers_each_visitor_as_the_table_says(app, client, visitor):
    world = build_world(app)
    export = _finished_export(world["evaluation"])
    sample = sampling.draw_sample(world["evaluation"], "access", {"size": 1}, "test", seed="s1")
    db.session.commit()
    if visitor != OUT:
        assert sign_in(client, USERS[visitor]).status_code == 302
    failures = []
    version = db.session.query(FormVersion.id).join(Form, Form.id == FormVersion.form_id).filter(
        Form.evaluation_id == world["evaluation"].id, Form.xml_form_id == "fc_household_interview").scalar()
    for method, template, expected in TABLE:
        url = template.format(flagged=world["flagged"], export=export, version=version,
                              household=world["households"][0], village=world["households"][0][:12],
                              sample=sample.id)
        if method == "GET":
            answer = client.get(url)
        else:
            answer = client.post(url, data={**POST_FIELDS, "csrf_token": session_csrf(client),
                                            "once": secrets.token_urlsafe(16)})  # each post a new form
        want = expected[visitor]
        got = "login" if answer.status_code == 302 and "/login" in answer.headers["Location"] \
            and want == LOGIN else answer.status_code
        if got != want:
            failures.append((method, url, want, answer.status_code, answer.headers.get("Location")))
        if visitor != OUT and method == "POST" and url in ("/logout",):
            sign_in(client, USERS[visitor])  # sign back in for the rest of the table
    assert not failures, failures


def _finished_export(evaluation):
    form, params = export_request.checked(evaluation, {"form": FORM_ID, "format": "csv"})
    job = service.start(evaluation, form, params, "test")
    db.session.commit()
    run_worker()
    return job.id


def test_a_viewer_post_changes_nothing(app, client):
    from server.models import AuditEntry, Submission

    world = build_world(app)
    sign_in(client, "view1")
    before = db.session.query(AuditEntry).count()
    url = f"/dashboard/county1/interviews/{world['flagged']}"
    answer = client.post(url + "/review", data={"action": "clear", "reason": "looks fine to me really",
                                                "seen": 0, "csrf_token": csrf(client.get(url))})
    assert answer.status_code == 403
    db.session.expire_all()
    assert db.session.query(AuditEntry).count() == before
    flagged = db.session.query(Submission).filter_by(instance_id=world["flagged"]).one()
    assert flagged.review_status == "review"

"""What the forms page does has an API route and a CLI command: the contract in the caller's language, who
gets a form, the XLSForm and XForm of a version, media sent with the upload, a bad file refused at once
(nothing stored), and the versions with their state."""
import io
import zipfile

import pytest

from server.infra.extensions import db
from server.models import Evaluation, Form, FormVersion, JobRecord
from tests.integration.forms.test_forms_lifecycle import CSV, MEDIA_FORM, PNG, converted, upload
from tests.integration.forms.test_forms_lifecycle import supervisor  # noqa: F401 (a fixture)
from testkit.factories import make_enumerator

FORM = "/api/v1/evaluations/county1/forms/media_form"


def _published(client, headers):
    data = {"file": (io.BytesIO(MEDIA_FORM.format(version="1").encode()), "media_form.md"), "publish": "yes",
            "media": [(io.BytesIO(PNG), "logo.png"), (io.BytesIO(CSV), "villages.csv")]}
    job = converted(client, client.post("/api/v1/evaluations/county1/forms", data=data, headers=headers,
                                        content_type="multipart/form-data"))
    assert job["state"] == "done" and job["result"]["published"], job  # the media came with the upload
    return job["result"]["version_id"]


def test_the_contract_follows_the_callers_language(client, supervisor):  # noqa: F811
    version_id = _published(client, supervisor)
    zh = client.get(FORM + "/contract", headers={"Accept-Language": "zh-CN"}).json
    en = client.get(FORM + f"/contract?version_id={version_id}", headers={"Accept-Language": "en"}).json
    assert zh["version_id"] == en["version_id"] == version_id and zh["version"] == "1"
    checks = {c["code"]: c for c in zh["checks"]}
    official = checks["recusal.present_official"]
    assert official["supported"] is False and official["kind"] == "rules" and official["needs"] == ["present"]
    assert "缺少字段 'present'" in official["reasons"][0]
    assert "field 'present' not found" in {c["code"]: c for c in en["checks"]}["recusal.present_official"][
        "reasons"][0]
    assert checks["reconcile.income"]["kind"] == "reconciliation"
    assert client.get(FORM + "/contract?version_id=999999").status_code == 404


def test_who_gets_a_form_through_the_api(client, supervisor, app):  # noqa: F811
    _published(client, supervisor)
    make_enumerator(db.session.query(Evaluation).one(), "checker", team="回访组")
    answer = client.put(FORM + "/audience", json={"teams": ["回访组"]}, headers=supervisor)
    assert answer.status_code == 200 and answer.json["audience"] == ["回访组"] and answer.json["receivers"] == 1
    assert client.get(FORM, headers=supervisor).json["audience"] == ["回访组"]
    bad = client.put(FORM + "/audience", json={"teams": ["x" * 81]}, headers=supervisor)
    assert bad.status_code == 422 and bad.json["code"] == "form.audience_invalid"
    everyone = client.put(FORM + "/audience", json={"teams": None}, headers=supervisor)
    assert everyone.status_code == 200 and everyone.json["audience"] is None
    assert client.get("/api/v1/evaluations/county1/teams").json == {"回访组": 1}


def test_a_versions_files_download(client, supervisor):  # noqa: F811
    version_id = _published(client, supervisor)
    version = db.session.get(FormVersion, version_id)
    xform = client.get(FORM + f"/versions/{version_id}/xform")
    assert xform.status_code == 200 and xform.data == version.xml.encode("utf-8")
    assert 'filename=media_form-1.xml' in xform.headers["Content-Disposition"]
    source = client.get(FORM + f"/versions/{version_id}/xlsform")
    assert source.status_code == 200 and source.data == MEDIA_FORM.format(version="1").encode()


def _bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (40 * 2**20))
    return out.getvalue()


@pytest.mark.parametrize("data, code", [(_bomb(), "form.zip_bomb"), (PNG, "form.not_xlsform")])
def test_a_bad_file_is_refused_at_once_and_nothing_is_queued(client, supervisor, data, code):  # noqa: F811
    answer = client.post("/api/v1/evaluations/county1/forms", content_type="multipart/form-data",
                         data={"file": (io.BytesIO(data), "survey.xlsx")}, headers=supervisor)
    assert answer.status_code == 422 and answer.json["code"] == code and answer.json["details"]
    assert db.session.query(JobRecord).count() == 0


PHOTO_FORM = """| survey |
| | type | name | label |
| | text | q1 | 问题 |
| | image | photo | 照片 |
| settings |
| | form_id | version |
| | photo_form | 1 |
"""


def test_the_version_lists_its_state_and_its_warnings_located_in_the_callers_language(client, supervisor):  # noqa
    version_id = _published(client, supervisor)
    form = client.get(FORM).json
    assert form["versions"] == [{"id": version_id, "version": "1", "md5": form["current_version"]["md5"],
                                 "published_at": form["current_version"]["published_at"], "state": "current"}]
    job = converted(client, upload(client, supervisor, PHOTO_FORM, filename="photo_form.md", publish="no"))
    url = f"/api/v1/evaluations/county1/forms/photo_form/versions/{job['result']['version_id']}"
    zh = client.get(url, headers={"Accept-Language": "zh-CN"}).json
    en = client.get(url, headers={"Accept-Language": "en"}).json
    assert zh["state"] == "draft"
    (warning,) = zh["warning_details"]
    assert (warning["code"], warning["sheet"], warning["row"], warning["column"]) == (
        "parameters.suggest_max_pixels", "survey", 3, "parameters")
    assert "max-pixels" in warning["message"] and "照片" in warning["message"]
    assert en["warning_details"][0]["message"].startswith("Use the max-pixels parameter")


def test_the_openapi_document_has_the_new_routes_with_example_bodies(client):
    spec = client.get("/api/v1/openapi.json").json
    audience = spec["paths"]["/api/v1/evaluations/{code}/forms/{form_id}/audience"]["put"]
    assert audience["requestBody"]["content"]["application/json"]["example"] == {"teams": ["回访组"]}
    for path in ("/api/v1/evaluations/{code}/forms/{form_id}/contract",
                 "/api/v1/evaluations/{code}/forms/{form_id}/versions/{version_id}/xlsform",
                 "/api/v1/evaluations/{code}/forms/{form_id}/versions/{version_id}/xform"):
        assert "get" in spec["paths"][path], path


def test_the_cli_reads_the_contract_sets_the_audience_and_downloads(client, supervisor, runner, tmp_path):  # noqa
    version_id = _published(client, supervisor)
    contract = runner.invoke(args=["--lang", "en", "forms", "contract", "county1", "media_form"])
    assert contract.exit_code == 0, contract.output
    assert "no \trecusal.present_official" in contract.output
    assert "field 'present' not found" in contract.output
    who = runner.invoke(args=["forms", "audience", "county1", "media_form", "--team", "回访组"])
    assert who.exit_code == 0 and "goes to 回访组" in who.output
    assert db.session.query(Form).one().audience == ["回访组"]
    everyone = runner.invoke(args=["forms", "audience", "county1", "media_form", "--everyone"])
    assert "every enumerator" in everyone.output
    out = tmp_path / "form.xml"
    assert runner.invoke(args=["forms", "download", "county1", "media_form", "--xform", "--out",
                               str(out)]).exit_code == 0
    assert out.read_bytes() == db.session.get(FormVersion, version_id).xml.encode("utf-8")
    listing = runner.invoke(args=["forms", "versions", "county1", "media_form"])
    assert f"{version_id}\t1\tcurrent" in listing.output


def test_the_cli_adds_media_to_a_draft_then_publishes_it(client, supervisor, runner, tmp_path):  # noqa: F811
    job = converted(client, upload(client, supervisor, MEDIA_FORM.format(version="2"), publish="no"))
    draft = job["result"]["version_id"]
    refused = runner.invoke(args=["forms", "publish-draft", "county1", "media_form", str(draft)])
    assert refused.exit_code != 0 and "form.media_missing" in refused.output
    logo, villages = tmp_path / "logo.png", tmp_path / "villages.csv"
    logo.write_bytes(PNG)
    villages.write_bytes(CSV)
    added = runner.invoke(args=["forms", "media", "county1", "media_form", str(draft), str(logo),
                                str(villages)])
    assert added.exit_code == 0 and "missing" not in added.output
    published = runner.invoke(args=["forms", "publish-draft", "county1", "media_form", str(draft)])
    assert published.exit_code == 0 and "version 2" in published.output

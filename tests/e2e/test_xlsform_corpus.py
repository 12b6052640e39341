"""The XLSForm corpus (tests/data/corpus, sources and licences in its README): every form is
converted, published with its media, fetched by the Collect-faithful client over real HTTP,
its manifest checked against what the served XForm references, and opened by ODK's engine.

The references are found here by a scanner of this test's own (regular expressions over the
served XForm text), not by forms.media, so the server's reading is checked, not repeated.
"""
import json
import os
import re
from pathlib import Path

import pytest

from server.questionnaires import forms_service
from server.infra.errors import Problem
from server.infra.extensions import db
from tests import engine
from testkit.collect_client import CollectClient
from testkit.openrosa_factories import setup_evaluation

pytestmark = pytest.mark.e2e
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
# public/ holds one folder per source repository: its forms are a level deeper.
FORMS = sorted(p for p in (*CORPUS.glob("*/*"), *CORPUS.glob("public/*/*"))
               if p.suffix in (".xls", ".xlsx", ".md", ".csv"))
REGISTER = "fc_households.csv"

_JR = re.compile(r"""jr://(images|audio|video|file|file-csv)/([^"'<>]+?)\s*(?=["'<])""")
_SEARCH = re.compile(r"""appearance="[^"]*\bsearch\(\s*'([^']+)'""")
_PULLDATA = re.compile(r"""pulldata\(\s*'([^']+)'""")
_QUERY = re.compile(r"""<input\b[^>]*\squery=""")
_FEATURES = {
    "select_external": lambda x: bool(_QUERY.search(x)),
    "search": lambda x: bool(_SEARCH.search(x)),
    "pulldata": lambda x: bool(_PULLDATA.search(x)),
    "instance_csv": lambda x: "jr://file-csv/" in x,
    "instance_xml": lambda x: re.search(r'src="jr://file/[^"]+\.xml"', x) is not None,
    "instance_geojson": lambda x: re.search(r'src="jr://file/[^"]+\.geojson"', x) is not None,
    "media_labels": lambda x: re.search(r'form="(image|big-image|audio|video)">jr://', x) is not None,
}
# A form whose settings send interviews to another server (submission_url) is refused at publishing:
# such corpus forms are checked as refused instead of served (and each must really declare one).
_FOREIGN_SUBMISSION = re.compile(r"""<submission\b[^>]*\baction="https?://(?!fieldcheck)""")
_OUTPUT = {}  # what the first test served, for the engine test: {form_id: (xml, {name: bytes})}


def referenced(xml):
    """The bare file names a served XForm needs, read straight from its text."""
    names = {m.group(2).rsplit("/", 1)[-1] for m in _JR.finditer(xml)}
    names |= {n if n.endswith(".csv") else n + ".csv" for n in _SEARCH.findall(xml) + _PULLDATA.findall(xml)}
    if _QUERY.search(xml):
        names.add("itemsets.csv")
    return names


def media_bytes(name):
    """A small valid file for each kind of media a form can reference."""
    lower = name.lower()
    if lower.endswith(".csv"):
        header = "name,label,name_key,code,crop,price,max,id,kcal,type,species,county,village"
        rows = ("a,Alpha,a,c1,maize,2.5,100,a,90,x,oak,c1,v1", "b,Beta,b,c2,rice,3.0,50,b,80,y,pine,c2,v2")
        return "\n".join((header, *rows, "")).encode()
    if lower.endswith(".xml"):
        return (b"<root><item><name>a</name><label>Alpha</label><type>x</type></item>"
                b"<item><name>b</name><label>Beta</label><type>y</type></item></root>")
    if lower.endswith(".geojson"):
        features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [111.1, 40.5]},
                     "properties": {"id": f"f{i}", "title": f"Feature {i}"}} for i in (1, 2)]
        return json.dumps({"type": "FeatureCollection", "features": features}).encode()
    return b"\x89PNG\r\n\x1a\n" + name.encode("utf-8") * 4  # images, audio, video: bytes are enough


def upload_name(name, form_path):
    """Upload mixed-case names in another case: the server must serve the form's spelling."""
    return name.lower() if form_path.stem == "mixed_case_media" else name


@pytest.fixture
def served(live_server, app):
    app.config["PUBLIC_URL"] = live_server
    evaluation, _enumerator, token = setup_evaluation()
    return evaluation, CollectClient(f"{live_server}/key/{token}/{evaluation.code}")


def test_corpus_is_large_and_varied():
    assert len(FORMS) >= 40
    assert len({p.parent.name for p in FORMS}) >= 2 and len({p.suffix for p in FORMS}) >= 3
    assert sum(p.stat().st_size for p in FORMS) < 3 * 2**20
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert all(p.name in readme for p in FORMS), "every corpus file has its source and licence in the README"


def _publish_all(evaluation):
    """Publish every corpus form with its media; {path: form id} of those published."""
    form_ids = {}
    for path in FORMS:
        compiled, _ = forms_service.compile_source(path.read_bytes(), path.name, "en")
        needs = sorted(set(compiled.media) - {"itemsets.csv", REGISTER})
        media = {upload_name(n, path): media_bytes(n) for n in needs}
        if _FOREIGN_SUBMISSION.search(compiled.xml):
            with pytest.raises(Problem) as refused:
                forms_service.publish_form(evaluation, path.read_bytes(), path.name, media, "test", "en",
                                           compiled=compiled)
            assert refused.value.code == "form.submission_url_foreign", path.name
            db.session.rollback()
            continue
        version = forms_service.publish_form(evaluation, path.read_bytes(), path.name, media, "test", "en",
                                             compiled=compiled)
        db.session.commit()
        assert version.published_at is not None, path.name
        form_ids[path] = compiled.form_id
    return form_ids


def test_every_corpus_form_is_published_served_and_complete(served):
    evaluation, collect = served
    failures, features = [], {k: [] for k in _FEATURES}
    form_ids = _publish_all(evaluation)
    listed = {e.form_id: e for e in collect.form_list()}
    for path in (p for p in FORMS if p in form_ids):
        form_id = form_ids[path]
        entry = listed.get(form_id)
        if entry is None:
            failures.append(f"{path.name}: not in formList")
            continue
        xml_bytes, files = collect.download_all(entry)
        xml = xml_bytes.decode("utf-8")
        wanted = referenced(xml)
        if set(files) != wanted:
            failures.append(f"{path.name}: manifest {sorted(files)} != referenced {sorted(wanted)}")
        if bool(entry.manifest_url) != bool(wanted):
            failures.append(f"{path.name}: manifestUrl {'missing' if wanted else 'given without media'}")
        for name, data in files.items():
            if name not in ("itemsets.csv", REGISTER) and data != media_bytes(name):
                failures.append(f"{path.name}: {name} served with other bytes")
        for feature, present in _FEATURES.items():
            if present(xml):
                features[feature].append(path.name)
        _OUTPUT[form_id] = (xml, files)
    assert failures == []
    assert {k: len(v) >= 2 for k, v in features.items()} == {k: True for k in _FEATURES}, features


def test_external_choices_are_served_as_itemsets_csv(served):
    evaluation, collect = served
    path = CORPUS / "generated" / "external_cascade.md"
    forms_service.publish_form(evaluation, path.read_bytes(), path.name, {}, "test")
    db.session.commit()
    entry = next(e for e in collect.form_list() if e.form_id == "external_cascade")
    _, files = collect.download_all(entry)
    lines = files["itemsets.csv"].decode("utf-8").splitlines()
    assert lines[0].replace('"', "") == "list_name,name,label,province,county"
    assert [line.replace('"', "").split(",")[:2] for line in lines[1:]] == [
        ["county", "c1"], ["county", "c2"], ["township", "t1"], ["township", "t2"]]


def test_the_register_is_made_for_forms_that_read_it(served):
    evaluation, collect = served
    path = CORPUS / "generated" / "register_lookup.md"
    forms_service.publish_form(evaluation, path.read_bytes(), path.name, {}, "test")
    db.session.commit()
    entry = next(e for e in collect.form_list() if e.form_id == "register_lookup")
    _, files = collect.download_all(entry)
    assert list(files) == [REGISTER] and files[REGISTER].startswith(b"name,label")


def test_served_forms_open_in_odk_form_engine(served, tmp_path):
    why = engine.unavailable()
    if why and os.environ.get("CI") == "true":  # .ci/run installs Node: "the phone opens it" is checked
        pytest.fail(f"ODK's form engine cannot be skipped in CI: {why}")
    if why:
        pytest.skip(f"ODK's form engine cannot run here: {why}")
    if not _OUTPUT:
        test_every_corpus_form_is_published_served_and_complete(served)
    items = []
    for form_id, (xml, files) in _OUTPUT.items():
        folder = tmp_path / form_id
        folder.mkdir()
        (folder / "form.xml").write_text(xml, encoding="utf-8")
        media = {}
        for i, (name, data) in enumerate(files.items()):
            (folder / f"m{i}").write_bytes(data)
            media[name] = [str(folder / f"m{i}"), _content_type(name)]
        items.append({"name": form_id, "xml": str(folder / "form.xml"), "media": media})
    results = engine.load_forms(items)
    assert len(results) == len(_OUTPUT) >= 40
    broken = {k: v for k, v in results.items() if v[0] not in ("success", "warning") or v[2] < 1}
    assert broken == {}


def _content_type(name):
    return {".csv": "text/csv", ".xml": "text/xml", ".geojson": "application/geo+json"}.get(
        Path(name).suffix.lower(), "application/octet-stream")

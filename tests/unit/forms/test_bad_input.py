"""Bad XLSForms get a FormError with a stable code and, where there is one, the row."""

from __future__ import annotations

import io
import zipfile

import pytest

import forms
from pyxform import xls2json_backends
from forms.safety import MB, Limits
from tests.unit.forms.helpers import survey_xlsx, xlsx_bytes

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(64)


def compile_error(data, filename="form.xlsx", **kwargs) -> forms.FormError:
    with pytest.raises(forms.FormError) as info:
        forms.compile_xlsform(data, filename, **kwargs)
    err = info.value
    assert "Traceback" not in err.message and err.message
    return err


def test_missing_survey_sheet():
    data = xlsx_bytes({"choices": [["list_name", "name", "label"], ["yn", "yes", "Yes"]],
                       "settings": [["form_id"], ["x"]]})
    err = compile_error(data, lang="en")
    assert err.code == "form.invalid"
    assert err.details[0]["sheet"] == "survey"
    assert "survey" in err.message


def test_unknown_question_type_names_its_row():
    data = survey_xlsx(["text", "a", "A"], ["integer", "b", "B"], ["fancy_widget", "c", "C"])
    err = compile_error(data, lang="zh")
    assert err.code == "form.invalid"
    assert err.details == [{"code": "type.unknown", "sheet": "survey", "row": 4, "column": "type",
                            "message": "未知的题型 'fancy_widget'。",
                            "text": {"zh": "未知的题型 'fancy_widget'。",
                                     "en": "Unknown question type 'fancy_widget'."}}]
    assert "第 4 行" in err.message


def test_duplicate_name_names_its_row():
    data = survey_xlsx(["text", "a", "A"], ["text", "b", "B"], ["integer", "a", "again"])
    err = compile_error(data, lang="en")
    assert (err.code, err.details[0]["row"], err.details[0]["column"]) == ("form.invalid", 4, "name")
    assert "row 4" in err.message and "'a'" in err.message


def test_broken_formula_passes_pyxform_but_not_odk_validate():
    data = survey_xlsx(["text", "a", "A", ""], ["integer", "b", "B", "(. > 3"],
                       header=("type", "name", "label", "constraint"))
    assert forms.compile_xlsform(data, "f.xlsx", validate=False).field_at("/data/b")
    err = compile_error(data, "f.xlsx", lang="en")
    assert err.code == "form.validate_failed"
    assert err.details[0]["sheet"] == "survey"
    assert (err.details[0]["row"], err.details[0]["column"]) == (3, "constraint")
    assert "(. > 3" in err.details[0]["message"]


def test_broken_formula_inside_a_group_is_located():
    data = survey_xlsx(["begin_group", "g", "G", ""], ["text", "a", "A", "${a} = 'x' and ("],
                       ["end_group", "", "", ""], header=("type", "name", "label", "relevant"))
    err = compile_error(data, lang="zh")
    first = err.details[0]
    assert (err.code, first["row"], first["column"]) == ("form.validate_failed", 3, "relevant")
    assert "relevant" in err.details[0]["message"] and "表达式无效" in err.details[0]["message"]
    assert "${a}" in err.details[0]["message"]


@pytest.mark.parametrize("data", [PNG, b"type,name,label\ntext,a,A\n", b"PK\x03\x04 not really a zip"])
def test_non_excel_file_renamed_xlsx(data):
    assert compile_error(data, "form.xlsx").code == "form.not_xlsform"


@pytest.mark.parametrize("filename", ["form.png", "form.docx", "form", "form.xls"])
def test_unsupported_extension_or_wrong_content(filename):
    assert compile_error(PNG, filename).code == "form.not_xlsform"


def test_zip_that_is_not_a_workbook():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert compile_error(buf.getvalue()).code == "form.not_xlsform"


def test_over_50_mb_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.xlsx"
    with big.open("wb") as f:
        f.truncate(50 * MB + 1)  # sparse: no 50 MB actually written
    monkeypatch.setattr("pathlib.Path.read_bytes", lambda self: pytest.fail("file was read"))
    err = compile_error(big, "big.xlsx", lang="en")
    assert err.code == "form.too_large" and "50 MB" in err.message


def test_size_limit_is_a_parameter():
    data = survey_xlsx(["text", "a", "A"])
    err = compile_error(data, limits=Limits(max_bytes=len(data) - 1))
    assert err.code == "form.too_large"


@pytest.fixture(scope="module")
def zip_bomb() -> bytes:
    """One member of 1.1 GB of zeros, deflated to ~5 MB while streaming (never held inflated)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        with zf.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = bytes(16 * MB)
            for _ in range(70):
                member.write(chunk)
    return buf.getvalue()


@pytest.fixture
def no_parsing(monkeypatch):
    """Fail the test if the workbook reader is ever reached."""
    monkeypatch.setattr(xls2json_backends, "get_xlsform", lambda *a, **k: pytest.fail("reader was called"))


def test_zip_bomb_is_refused_from_its_declared_size(zip_bomb, no_parsing):
    assert len(zip_bomb) < 10 * MB
    err = compile_error(zip_bomb, "bomb.xlsx")
    assert err.code == "form.zip_bomb"


def test_zip_bomb_is_refused_by_its_ratio_too(zip_bomb, no_parsing):
    err = compile_error(zip_bomb, "bomb.xlsx", limits=Limits(max_unzipped=10_000 * MB), lang="en")
    assert err.code == "form.zip_bomb" and "ratio" in err.details[0]["message"]


def test_zip_with_too_many_members(no_parsing):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for i in range(1001):
            zf.writestr(f"xl/m{i}.xml", "")
    assert compile_error(buf.getvalue()).code == "form.zip_bomb"


def test_messages_follow_lang():
    data = survey_xlsx(["fancy_widget", "c", "C"])
    assert "Unknown question type" in compile_error(data, lang="en").message
    assert "未知的题型" in compile_error(data, lang="zh").message


def test_error_serialises_for_the_api():
    err = compile_error(survey_xlsx(["fancy_widget", "c", "C"]))
    assert set(err.to_dict()) == {"code", "message", "details"}
    assert set(err.details[0]) == {"code", "sheet", "row", "column", "message", "text"}


def test_missing_java_is_reported(monkeypatch):
    monkeypatch.setattr("forms.validate.shutil.which", lambda _name: None)
    assert compile_error(survey_xlsx(["text", "a", "A"])).code == "form.validator_unavailable"

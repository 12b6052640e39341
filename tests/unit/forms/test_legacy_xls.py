"""A real legacy .xls workbook (BIFF, as older Excel saves it) compiles like its .xlsx twin."""
import io

import xlwt

from forms import compile_xlsform
from forms.xform import parse, primary_root

SHEETS = {
    "survey": [["type", "name", "label::中文 (zh)", "label::English (en)"],
               ["integer", "hh_size", "家庭人口", "Household size"],
               ["select_one yn", "agree", "同意吗", "Agree?"]],
    "choices": [["list_name", "name", "label::中文 (zh)", "label::English (en)"],
                ["yn", "yes", "是", "Yes"], ["yn", "no", "否", "No"]],
    "settings": [["form_id", "version"], ["xls_form", "3"]],
}


def _xls_bytes():
    workbook = xlwt.Workbook()
    for name, rows in SHEETS.items():
        sheet = workbook.add_sheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_legacy_xls_compiles_with_its_languages_and_choices():
    compiled = compile_xlsform(_xls_bytes(), "legacy.xls")
    assert (compiled.form_id, compiled.version) == ("xls_form", "3")
    assert compiled.languages == ("zh", "en")
    agree = compiled.fields_named("agree")[0]
    assert agree.type == "select_one" and agree.choice_values() == ("yes", "no")
    assert primary_root(parse(compiled.xml)).get("version") == "3"

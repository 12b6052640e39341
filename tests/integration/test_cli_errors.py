"""The CLI's errors say what went wrong and what to do next, in the user's language (--lang, else the
locale): a wrong evaluation code, a file that is not there, a register file that is not UTF-8, and a
register file with a bad row. Nothing is imported by a refused file."""
import json

import pytest

from testkit.factories import make_evaluation
from testkit.household_factories import make_records
from tests.integration.households.conftest import snapshot


@pytest.fixture
def evaluation(app):
    return make_evaluation("county1")


def _run(runner, lang, *args, env=None):
    return runner.invoke(args=["--lang", lang, *args] if lang else list(args), env=env)


def test_a_wrong_evaluation_code_names_the_command_that_lists_them(runner, evaluation):
    english = _run(runner, "en", "forms", "list", "county9")
    chinese = _run(runner, "zh", "forms", "list", "county9")
    assert english.exit_code == chinese.exit_code == 1
    assert "Error: There is no evaluation 'county9'. [evaluation.not_found]" in english.output
    assert "What to do: `fieldcheck evaluations list` shows the evaluation codes." in english.output
    assert "错误：没有评估 'county9'。 [evaluation.not_found]" in chinese.output
    assert "下一步：`fieldcheck evaluations list` 可列出评估代码。" in chinese.output


def test_the_language_follows_the_locale_without_lang(runner, evaluation):
    result = _run(runner, None, "samples", "list", "county9", env={"LC_ALL": "", "LC_MESSAGES": "",
                                                                   "LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 1 and "没有评估 'county9'" in result.output and "下一步" in result.output


@pytest.mark.parametrize("args", [("households", "import", "county1"), ("forms", "publish", "county1")])
def test_a_missing_file_is_named_with_where_it_was_looked_for(runner, evaluation, tmp_path, args):
    missing = tmp_path / "register-2020.csv"
    english = _run(runner, "en", *args, str(missing))
    chinese = _run(runner, "zh", *args, str(missing))
    assert english.exit_code == chinese.exit_code == 2
    assert f"Error: There is no file '{missing}'" in english.output
    assert "`ls` lists the files here" in english.output
    assert f"错误：没有文件 '{missing}'" in chinese.output and "运行命令所在的文件夹" in chinese.output
    folder = _run(runner, "en", *args, str(tmp_path))
    assert folder.exit_code == 2 and "is a folder, not a file" in folder.output


def test_a_register_csv_that_is_not_utf8_says_how_to_save_it(runner, evaluation, tmp_path):
    path = tmp_path / "register.csv"
    path.write_bytes("archive_id,head_name\n150782101201000001,张三\n".encode("gbk"))
    before = snapshot()
    english = _run(runner, "en", "households", "import", "county1", str(path))
    chinese = _run(runner, "zh", "households", "import", "county1", str(path))
    assert english.exit_code == chinese.exit_code == 1
    assert "not UTF-8 (first at line 2)" in english.output
    assert "'CSV UTF-8 (comma delimited)'" in english.output
    assert "[import.gbk]" in english.output
    assert "不是 UTF-8（首次出现在第 2 行）" in chinese.output and "[import.gbk]" in chinese.output
    path.write_bytes(b"archive_id,head_name\n150782101201000001,\xff\xfe\xfa\n")  # neither UTF-8 nor GBK
    english = _run(runner, "en", "households", "import", "county1", str(path))
    chinese = _run(runner, "zh", "households", "import", "county1", str(path))
    assert "The file is not UTF-8 text (line 2). [import.bad_encoding]" in english.output
    assert 'What to do: Save the file as "CSV UTF-8"' in english.output
    assert "该文件不是 UTF-8 文本（第 2 行）。 [import.bad_encoding]" in chinese.output
    assert "另存为“CSV UTF-8”" in chinese.output
    assert snapshot() == before


def test_a_bad_register_row_names_its_line_and_the_template(runner, evaluation, tmp_path):
    records = make_records(3)
    records[2]["registration_year"] = "soon"
    records[1]["colour"] = "red"
    path = tmp_path / "register.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    before = snapshot()
    english = _run(runner, "en", "households", "import", "county1", str(path))
    chinese = _run(runner, "zh", "households", "import", "county1", str(path))
    assert english.exit_code == chinese.exit_code == 1
    assert "line 2: colour: This field is unknown." in english.output
    assert "line 3: registration_year: This is not an integer." in english.output
    assert "2 error(s) in 2 record(s); nothing was applied. [household.invalid]" in english.output
    assert "fieldcheck households template register.xlsx" in english.output
    assert "第 2 行：colour：未知字段。" in chinese.output and "第 3 行：registration_year：这不是整数。" in chinese.output
    assert "2 条记录中有 2 处错误；本批全部未导入。" in chinese.output and "下一步：请按上面各行指出的位置修改文件" in chinese.output
    assert snapshot() == before


def test_an_option_the_domain_refuses_gets_the_option_to_give(runner, evaluation, monkeypatch):
    monkeypatch.setenv("FIELDCHECK_PASSWORD", "correct horse battery")
    result = _run(runner, "en", "users", "create", "sup9", "--role", "supervisor")
    assert result.exit_code == 1 and "[account.needs_evaluation]" in result.output
    assert "Add --evaluation CODE" in result.output

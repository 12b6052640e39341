"""The `fieldcheck` command itself: its help, its language, and what it imports to start.

Start-up time is measured by bench/bench_cli.py; here the cause is pinned: `--help` of any command
imports neither Flask, SQLAlchemy nor the domain, and `forms list` imports neither pyxform, marshmallow,
the PostgreSQL driver (on SQLite) nor the web routes.
"""
import json
import os
import subprocess
import sys

import click
import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from server import cli
from testkit.factories import make_evaluation

BROKEN = """| survey |
| | type | name | label |
| | text | a | A |
| | integer | a | again |
"""
PROBE = """
import json, sys
from server.cli import main
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
print(json.dumps({m: m in sys.modules for m in ("flask", "sqlalchemy", "pyxform", "server.api", "rq")}))
"""
HEAVY = ("flask", "sqlalchemy", "server.models", "pyxform", "lxml", "openpyxl", "qrcode", "rq", "marshmallow",
         "alembic", "psycopg", "jinja2")
EVERY_HELP = """
import json, sys
import click
from server import cli

def helps(command, path):
    ctx = click.Context(command, info_name=path[-1])
    yield " ".join(path), command.get_help(ctx)
    if isinstance(command, click.Group) and path[-1] != "db":  # db's commands are Flask-Migrate's
        for name in command.list_commands(ctx):
            yield from helps(command.get_command(ctx, name), path + [name])

texts = {"fieldcheck": cli.main.get_help(click.Context(cli.main, info_name="fieldcheck"))}
for name in cli.COMMANDS:
    texts.update(helps(cli.main.get_command(click.Context(cli.main), name), ["fieldcheck", name]))
print(json.dumps({"helps": texts, "loaded": sorted(m for m in %r if m in sys.modules)}))
""" % (HEAVY,)


def run(*args, env):
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, env=env,
                          timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    return proc, json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture
def scratch_env(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("DATABASE_URL", "REDIS_URL", "FIELDCHECK"))}
    env.update(FIELDCHECK_INSTANCE=str(tmp_path), DATABASE_URL=f"sqlite:///{tmp_path}/cli.db")
    return env


def test_help_lists_fieldcheck_commands_and_sets_flasks_apart(scratch_env):
    proc, loaded = run("--help", env=scratch_env)
    commands, developer = proc.stdout.split("Developer commands (Flask):")
    assert "forms        XLSForm questionnaires." in commands and "households" in commands
    for flask_command in ("run ", "shell ", "routes "):
        assert flask_command not in commands and flask_command in developer
    assert "--lang [zh|en]" in proc.stdout
    assert loaded == {"flask": False, "sqlalchemy": False, "pyxform": False, "server.api": False, "rq": False}


def test_the_help_of_every_command_imports_no_framework_and_no_domain(scratch_env):
    """Every group's and every command's --help is rendered from the command modules alone."""
    proc = subprocess.run([sys.executable, "-c", EVERY_HELP], capture_output=True, text=True, env=scratch_env,
                          timeout=120, cwd=os.path.dirname(os.path.dirname(os.path.dirname(__file__))))
    assert proc.returncode == 0, proc.stderr
    found = json.loads(proc.stdout)
    assert found["loaded"] == []
    helps = found["helps"]
    assert "Usage: publish [OPTIONS] CODE PATH" in helps["fieldcheck forms publish"]
    assert "--media" in helps["fieldcheck forms publish"]
    assert "list" in helps["fieldcheck forms"] and "publish" in helps["fieldcheck forms"]
    assert "upgrade" in helps["fieldcheck db"] and "--directory" in helps["fieldcheck db"]
    assert "income_<year>" in helps["fieldcheck households import"]
    assert len(helps) > 60  # every group and its commands were walked


def test_forms_list_starts_without_pyxform_or_the_web_routes(scratch_env):
    assert subprocess.run([sys.executable, "-m", "server", "db", "upgrade"], env=scratch_env,
                          capture_output=True, timeout=120).returncode == 0
    assert subprocess.run([sys.executable, "-m", "server", "evaluations", "create", "c1", "--name", "C1"],
                          env=scratch_env, capture_output=True, timeout=120).returncode == 0
    proc, loaded = run("forms", "list", "c1", env=scratch_env)
    assert proc.returncode == 0, proc.stderr
    assert loaded["sqlalchemy"] and not loaded["pyxform"] and not loaded["server.api"] and not loaded["rq"]
    probe = PROBE.replace('("flask", "sqlalchemy", "pyxform", "server.api", "rq")',
                          '("marshmallow", "psycopg", "forms.compile", "cryptography")')
    proc = subprocess.run([sys.executable, "-c", probe, "forms", "list", "c1"], capture_output=True,
                          text=True, env=scratch_env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == {
        "marshmallow": False, "psycopg": False, "forms.compile": False, "cryptography": False}


def test_the_short_help_table_matches_each_command():
    for name, (module, attribute, short) in cli.COMMANDS.items():
        command = getattr(__import__(module, fromlist=[attribute]), attribute)
        assert isinstance(command, click.Command)
        assert command.get_short_help_str(63) == short, name


def test_the_options_copied_for_help_equal_the_domains():
    from server.accounts import audit_log
    from server.exports import request as export_request
    from server.figures import read
    from server.households import sampling, tabular
    from server.recusal import review
    from server.reports import service as report_service
    from server.cli import vocabulary as v

    assert v.RECUSAL_LEVELS == review.RECUSAL_LEVELS and v.SAMPLE_REASONS == sampling.REASONS
    assert (v.EXPORT_FORMATS, v.EXPORT_LABELS, v.EXPORT_TABLES) == (
        export_request.FORMATS, export_request.LABEL_LANGUAGES, export_request.TABLE_FORMATS)
    assert (v.REPORT_FORMATS, v.REPORT_LANGUAGES) == (report_service.FORMATS, report_service.LANGUAGES)
    assert v.FIGURE_LEVELS == read.LEVELS
    assert v.AUDIT_PAGE == audit_log.PAGE
    assert v.REGISTER_LAYOUT == tabular.__doc__.split("\n", 2)[2]


def test_the_db_table_lists_flask_migrates_commands():
    from flask_migrate.cli import db

    from server.cli import migrations

    ctx = click.Context(db)
    assert sorted(migrations.COMMANDS) == db.list_commands(ctx)
    for name, text in migrations.COMMANDS.items():
        assert db.get_command(ctx, name).get_short_help_str(200) == text, name
    ours = {p.name: (p.opts, p.help) for p in migrations.db.params}
    assert ours == {p.name: (p.opts, p.help) for p in db.params}


@pytest.mark.parametrize("environ, lang", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "C.UTF-8"}, "zh"), ({"LANG": "C.UTF-8"}, "en"), ({}, "en")])
def test_the_default_language_comes_from_the_locale(environ, lang):
    assert cli.default_lang(environ) == lang


@pytest.mark.parametrize("lang, text", [("en", "row 3, column 'name'"), ("zh", "第 3 行，name 列")])
def test_lang_picks_the_language_of_form_errors(app, tmp_path, lang, text):
    make_evaluation("county1")
    path = tmp_path / "broken.md"
    path.write_text(BROKEN, encoding="utf-8")
    result = CliRunner().invoke(cli.main, ["--lang", lang, "forms", "publish", "county1", str(path)],
                                obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 1 and "[form.invalid]" in result.output
    assert text in result.output


@pytest.mark.parametrize("args", [("export", "nosuch", "hh"), ("report", "nosuch"), ("figures", "nosuch"),
                                  ("audit", "nosuch"), ("decrypt", "nosuch", "--private-key", "k.pem")])
def test_top_level_commands_run_in_an_app_context_as_a_process(scratch_env, args):
    # A test runner pushes its own app context; the installed command must make one itself.
    assert subprocess.run([sys.executable, "-m", "server", "db", "upgrade"], env=scratch_env,
                          capture_output=True, timeout=120).returncode == 0
    proc = subprocess.run([sys.executable, "-m", "server", "--lang", "en", *args], env=scratch_env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.splitlines()[0] == "Error: There is no evaluation 'nosuch'. [evaluation.not_found]"


def test_commands_outside_a_group_have_the_database_too(scratch_env):
    """`figures`, `audit`, `export` and `report` are plain commands: they open the app themselves."""
    def fieldcheck(*args):
        return subprocess.run([sys.executable, "-m", "server", *args], env=scratch_env, capture_output=True,
                              text=True, timeout=120)

    assert fieldcheck("db", "upgrade").returncode == 0
    assert fieldcheck("evaluations", "create", "c1", "--name", "C1").returncode == 0
    figures = fieldcheck("figures", "c1", "--level", "evaluation")
    assert figures.returncode == 0, figures.stderr
    log = fieldcheck("audit", "c1")
    assert log.returncode == 0 and "\tcli\tevaluation.create\t" in log.stdout, log.stderr
    missing = fieldcheck("report", "nosuch")
    assert missing.returncode == 1 and "[evaluation.not_found]" in missing.stderr
    assert "Traceback" not in missing.stderr

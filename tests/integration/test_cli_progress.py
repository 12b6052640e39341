"""Long CLI commands show how far they got: publishing a form, importing a register, drawing
back-checks. Not on a terminal (logs, CI, this runner) they print one line per phase on stderr, the
last one with the final count, and stdout keeps only the answer; on a terminal a bar names the phase.
Phases are in the language of --lang."""
import io
import json

from server.cli import progress
from server.infra.i18n import msg
from testkit.factories import make_evaluation
from testkit.household_factories import make_records
from tests.integration.figures.test_backchecks import setup
from tests.integration.recusal.conftest import world  # noqa: F401  (fixture)

SHIPPED = "forms/xlsform/backcheck.xlsx"


def test_a_register_import_reports_reading_checking_and_writing(app, runner, tmp_path):
    make_evaluation("county1")
    path = tmp_path / "register.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in make_records(12)) + "\n",
                    encoding="utf-8")
    result = runner.invoke(args=["--lang", "en", "households", "import", "county1", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["created"] == 12  # stdout: the answer only
    assert result.stderr.splitlines() == [
        "importing register.jsonl: reading the file",
        "importing register.jsonl: checking the records 0/12 (0%)",
        "importing register.jsonl: writing the records 0/12 (0%)",
        "importing register.jsonl: written 12/12 (100%)"]


def test_publishing_reports_each_step_in_the_language_asked(app, runner, tmp_path):
    make_evaluation("county1")
    result = runner.invoke(args=["--lang", "zh", "forms", "publish", "county1", SHIPPED])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == ["发布 backcheck.xlsx: 转换 XLSForm 0/2 (0%)",
                                          "发布 backcheck.xlsx: 发布 1/2 (50%)",
                                          "发布 backcheck.xlsx: 已发布 2/2 (100%)"]
    assert "published fc_backcheck version" in result.stdout


def test_a_backcheck_draw_reports_the_enumerators_drawn(world, runner):  # noqa: F811
    setup(world)
    result = runner.invoke(args=["--lang", "en", "backchecks", "draw", "county1", "--share", "0.5",
                                 "--seed", "s1"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        "drawing back-checks: drawing the interviews of each enumerator 0/1 (0%)",
        "drawing back-checks: drawing the interviews of each enumerator 1/1 (100%)"]
    assert "back-checks assigned" in result.stdout


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_on_a_terminal_a_bar_names_the_phase_and_fills_up():
    screen = Terminal()
    with progress.Bar("importing", file=screen, lang="en") as bar:
        bar(0, 200, msg("checking the records"))
        bar(100, 200, msg("writing the records"))
        bar(200, 200, msg("written"))
    drawn = screen.getvalue()
    assert "importing: writing the records" in drawn and "50%" in drawn
    assert "importing: written" in drawn and "100%" in drawn and drawn.count("\r") >= 2


def test_plain_lines_are_spaced_within_a_phase_and_end_with_where_the_work_ended():
    log = io.StringIO()
    ticks = iter([0.0, 0.5, 1.0, 9.0, 9.0, 9.5, 9.5])  # seconds, as the bar reads its clock
    with progress.Bar("importing", is_tty=False, file=log, lang="en", clock=lambda: next(ticks)) as bar:
        for done in (0, 1000, 2000, 3000, 4000):
            bar(done, 5000, msg("writing the records"))
    assert log.getvalue().splitlines() == ["importing: writing the records 0/5000 (0%)",
                                           "importing: writing the records 3000/5000 (60%)",
                                           "importing: writing the records 4000/5000 (80%)"]

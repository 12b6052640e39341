"""`fieldcheck forms ...` with the shipped questionnaires."""
from pathlib import Path

from server.infra.extensions import db
from server.models import Form
from testkit.factories import make_evaluation

SHIPPED = Path(__file__).resolve().parents[3] / "forms" / "xlsform"


def test_publish_the_shipped_questionnaires_then_close_and_list(app, runner):
    make_evaluation("county1")
    for name in ("household_interview.xlsx", "backcheck.xlsx"):
        result = runner.invoke(args=["forms", "publish", "county1", str(SHIPPED / name)])
        assert result.exit_code == 0, result.output
        assert "published" in result.output.splitlines()[-1]
    forms = {f.xml_form_id: f for f in db.session.query(Form)}
    assert set(forms) == {"fc_household_interview", "fc_backcheck"}
    checks = forms["fc_household_interview"].current_version.contract["checks"]
    assert all(check["supported"] for check in checks.values())
    closed = runner.invoke(args=["forms", "close", "county1", "fc_backcheck", "--closing"])
    assert closed.exit_code == 0 and db.session.get(Form, forms["fc_backcheck"].id).state == "closing"
    listing = runner.invoke(args=["forms", "list", "county1"]).output
    assert "fc_backcheck\tclosing" in listing and "fc_household_interview\topen" in listing


def test_a_bad_file_gives_one_clear_error(app, runner, tmp_path):
    make_evaluation("county1")
    bogus = tmp_path / "notes.xlsx"
    bogus.write_bytes(b"this is not a spreadsheet")
    result = runner.invoke(args=["forms", "publish", "county1", str(bogus)])
    assert result.exit_code != 0 and "form.not_xlsform" in result.output
    assert db.session.query(Form).count() == 0

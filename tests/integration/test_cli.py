"""The operator CLI: the exact commands the README and scripts rely on."""
from sqlalchemy import select

from server.accounts import api_tokens
from server.infra import secrets_box
from server.accounts.users import enumerator_by_token, verify_user
from server.infra.extensions import db
from server.models import ApiToken, Assignment, AuditEntry, Enumerator, Evaluation, Form, Household, User


def invoke(runner, *args, env=None):
    return runner.invoke(args=list(args), env=env or {}, catch_exceptions=False)


def test_evaluations_create_then_refuse_duplicate(app, runner):
    assert invoke(runner, "evaluations", "create", "county1", "--name", "县一").exit_code == 0
    assert db.session.execute(select(Evaluation.name).where(Evaluation.code == "county1")).scalar() == "县一"
    again = runner.invoke(args=["evaluations", "create", "county1", "--name", "x"])
    assert again.exit_code != 0 and "already exists" in again.output


def test_bad_evaluation_code_is_refused(app, runner):
    result = runner.invoke(args=["evaluations", "create", "Has Spaces", "--name", "x"])
    assert result.exit_code != 0 and "evaluation code" in result.output


def test_user_password_comes_from_the_environment(app, runner):
    invoke(runner, "evaluations", "create", "county1", "--name", "x")
    result = invoke(runner, "users", "create", "alice", "--role", "supervisor", "--evaluation", "county1",
                    env={"FIELDCHECK_PASSWORD": "a long enough secret"})
    assert result.exit_code == 0, result.output
    user = verify_user("alice", "a long enough secret")
    assert user is not None and not user.is_site_admin
    assert "a long enough secret" not in user.password_hash
    assert verify_user("alice", "wrong password!!") is None


def test_site_admin_needs_no_evaluation_and_weak_passwords_are_refused(app, runner):
    weak = runner.invoke(args=["users", "create", "root", "--role", "admin"],
                         env={"FIELDCHECK_PASSWORD": "short"})
    assert weak.exit_code != 0 and "at least" in weak.output
    ok = invoke(runner, "users", "create", "root", "--role", "admin", env={"FIELDCHECK_PASSWORD": "x" * 12})
    assert ok.exit_code == 0
    assert db.session.execute(select(User.is_site_admin).where(User.username == "root")).scalar() is True


def test_enumerator_create_prints_the_collect_url_last(app, runner):
    invoke(runner, "evaluations", "create", "county1", "--name", "x")
    result = invoke(runner, "enumerators", "create", "county1", "zhang", "--county", "凉城县",
                    "--township", "岱海镇", "--village", "东营子村")
    url = result.output.strip().splitlines()[-1]
    assert url.startswith("http://fieldcheck.test/key/") and url.endswith("/county1")
    token = url.split("/key/")[1].split("/")[0]
    enumerator = enumerator_by_token(token)
    assert enumerator.username == "zhang" and enumerator.county == "凉城县"
    assert enumerator.token_hash == secrets_box.token_hash(token) and token not in enumerator.token_encrypted


def test_token_create_prints_the_token_last_and_stores_only_its_hash(app, runner):
    invoke(runner, "evaluations", "create", "county1", "--name", "x")
    result = invoke(runner, "tokens", "create", "county1", "--name", "archive", "--scope", "import")
    secret = result.output.strip().splitlines()[-1]
    row = api_tokens.find_token(secret)
    assert row.scope == "import" and row.name == "archive"
    stored = db.session.execute(select(ApiToken.token_hash)).scalars().all()
    assert secret not in stored
    invoke(runner, "tokens", "revoke", "county1", str(row.id))
    assert api_tokens.find_token(secret) is None


def test_demo_loads_once_and_says_how_to_connect(app, runner):
    result = invoke(runner, "demo", env={"FIELDCHECK_PASSWORD": "demo password 123"})
    assert "/key/" in result.output and "demo password 123" in result.output
    assert db.session.query(Household).count() == 20
    assert db.session.query(Enumerator).count() == 2
    published = {f.xml_form_id for f in db.session.query(Form) if f.current_version is not None}
    assert published == {"fc_household_interview", "fc_backcheck"}
    assert db.session.query(Assignment).count() == 20  # each enumerator has one village's households
    again = invoke(runner, "demo")
    assert again.exit_code == 0 and "already exists" in again.output
    assert db.session.query(Household).count() == 20


def test_every_change_is_audited(app, runner):
    invoke(runner, "evaluations", "create", "county1", "--name", "x")
    invoke(runner, "enumerators", "create", "county1", "li", "--county", "a", "--township", "b",
           "--village", "c")
    actions = db.session.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars().all()
    assert actions == ["evaluation.create", "enumerator.create"]

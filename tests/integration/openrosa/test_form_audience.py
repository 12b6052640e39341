"""Who gets a form: a form given to chosen teams is listed, served (form, manifest, media) and accepts
interviews only for enumerators of those teams; to anyone else it does not exist, and an interview sent
for it is refused with a message. The back-check questionnaire goes to the back-checkers only."""
from lxml import etree

from server.infra.extensions import db
from server.models import Submission
from server.questionnaires import audience
from tests.integration.openrosa.conftest import SAFE, message_of, post
from tests.integration.openrosa.test_auth import _digest
from tests.integration.openrosa.test_forms import _forms
from testkit.factories import make_enumerator
from testkit.openrosa_factories import MEDIA, PASSWORD, PLAIN, instance, publish


def _give(form, teams):
    audience.set_audience(form, teams, "test")
    db.session.commit()


def _checker(world, team="回访组"):
    enumerator, token = make_enumerator(world.evaluation, "checker1", team=team, password=PASSWORD)
    return enumerator, f"/key/{token}/{world.evaluation.code}"


def test_a_form_for_a_team_reaches_that_team_only(client, world):
    _give(world.version.form, ["回访组"])
    _, checker = _checker(world)
    assert set(_forms(client.get(world.base + "/formList"))) == {"plain"}  # enum1 has no team
    assert set(_forms(client.get(checker + "/formList"))) == {"household", "plain"}
    for path in ("/forms/household.xml", "/forms/household/manifest",
                 "/forms/household/attachments/logo.png"):
        refused = client.get(world.base + path)
        assert refused.status_code == 404, path  # it does not exist for them
        assert client.get(checker + path).status_code == 200, path
    assert client.get(checker + "/forms/household/attachments/logo.png").data == MEDIA["logo.png"]


def test_an_interview_for_a_form_of_another_team_is_refused_and_not_stored(client, world):
    _give(world.version.form, ["回访组"])
    _, xml = instance()
    refused = post(client, world.base + "/submission", xml)
    assert refused.status_code == 403
    nature, text = message_of(refused)
    assert nature == "error" and "household" in text and "小组" in text  # zh: the evaluation's language
    assert db.session.query(Submission).count() == 0
    _, checker = _checker(world)
    assert post(client, checker + "/submission", xml).status_code == 201
    assert db.session.query(Submission).one().enumerator_id != world.enumerator.id


def test_giving_the_form_to_everyone_again_lists_it_to_all(client, world):
    _give(world.version.form, ["回访组"])
    _give(world.version.form, None)
    assert set(_forms(client.get(world.base + "/formList"))) == {"household", "plain"}


def test_changing_an_enumerators_team_changes_what_they_get(client, world):
    _give(world.version.form, ["一组", "回访组"])
    assert "household" not in _forms(client.get(world.base + "/formList"))
    world.enumerator.team = "一组"
    db.session.commit()
    assert "household" in _forms(client.get(world.base + "/formList"))


def test_the_audience_holds_in_password_mode_too(client, world):
    _give(world.version.form, ["回访组"])
    _checker(world)
    listed = etree.fromstring(_digest(client, f"/{world.evaluation.code}/formList").data, SAFE)
    mine = etree.fromstring(_digest(client, f"/{world.evaluation.code}/formList", username="checker1").data,
                            SAFE)
    assert len(listed) == 1 and len(mine) == 2


def test_the_backcheck_questionnaire_for_the_backcheck_team(client, world):
    """The evaluation's back-check form (settings: fc_backcheck) given to the back-checkers: the enumerator
    whose work it checks never gets it, the back-checker does."""
    version = publish(world.evaluation, PLAIN, form_id="fc_backcheck")
    assert audience.is_backcheck_form(world.evaluation, version.form)
    _give(version.form, ["回访组"])
    _, checker = _checker(world)
    assert "fc_backcheck" not in _forms(client.get(world.base + "/formList"))
    assert "fc_backcheck" in _forms(client.get(checker + "/formList"))
    assert audience.receivers(world.evaluation, version.form) == 1


def test_team_names_are_checked():
    assert audience.clean_teams(None) is None
    assert audience.clean_teams([" 回访组 ", "", "回访组", "一组"]) == ["回访组", "一组"]
    assert audience.clean_teams(["", "  "]) is None  # nothing chosen: everyone
    for bad in ("回访组", ["x" * 81], [str(i) for i in range(51)], [1]):
        try:
            audience.clean_teams(bad)
        except Exception as error:
            assert error.code == "form.audience_invalid" and error.status == 422
        else:
            raise AssertionError(f"{bad!r} was accepted")

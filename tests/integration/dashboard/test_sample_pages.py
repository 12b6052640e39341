"""Samples in the dashboard: draw one (validated field by field, reproducible by the command the page shows),
see its units, coverage and substitutes, replace a unit with a reason, assign it to an enumerator with the
recusal rule applied and its refusal explained, and a double-clicked form that does one thing."""
import re
import shlex

from server.households.sampling import stratum_of
from server.infra.extensions import db
from server.models import Assignment, AuditEntry, Household, Sample, SampleUnit
from testkit.dashboard_world import build_world
from testkit.factories import make_enumerator
from testkit.household_factories import village_code
from testkit.recusal_factories import make_households
from tests.integration.dashboard.helpers import csrf, sign_in

E = "/dashboard/county1"


def _world(app):
    world = build_world(app)
    make_households(world["evaluation"], 3, village=2)  # three more, never interviewed
    return world


def _form_tokens(page):
    text = page.get_data(as_text=True)
    return csrf(page), re.search(r'name="once" value="([^"]+)"', text).group(1)


def _post(client, page_url, action, lang=None, **fields):
    token, once = _form_tokens(client.get(page_url))
    headers = {"Accept-Language": lang} if lang else {}
    return client.post(action, data={"csrf_token": token, "once": once, **fields}, headers=headers)


def _draw(client, **fields):
    return _post(client, E + "/samples", E + "/samples", **{"name": "复核", "size": "10", **fields})


def _units(sample_id):
    db.session.expire_all()
    rows = db.session.query(SampleUnit).filter_by(sample_id=sample_id)
    return sorted((u.stratum, u.household_id) for u in rows)


def _sample_id(answer):
    return int(answer.headers["Location"].rsplit("/", 1)[1])


def test_a_drawn_sample_shows_its_seed_and_the_command_that_draws_it_again(app, client, runner):
    _world(app)
    sign_in(client, "sup1")
    answer = _draw(client, seed="2026-春季", size="2")
    assert answer.status_code == 302
    sample_id = _sample_id(answer)
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "2026-春季" in page and "已抽取样本" in page
    command = re.search(r'<code class="command" id="reproduce">([^<]+)</code>', page).group(1)
    args = shlex.split(command.replace("&#39;", "'").replace("&#34;", '"'))
    assert args[:4] == ["fieldcheck", "samples", "draw", "county1"] and "--seed" in args
    result = runner.invoke(args=args[1:])
    assert result.exit_code == 0, result.output
    again = db.session.query(Sample).order_by(Sample.id.desc()).first()
    assert again.id != sample_id and _units(again.id) == _units(sample_id)  # the same households
    assert len(_units(sample_id)) == sum(min(2, n) for n in _strata_sizes(sample_id).values())


def _strata_sizes(sample_id):
    sizes = {}
    for household in db.session.query(Household):
        key = stratum_of(household.status, household.village_code, False)
        sizes[key] = sizes.get(key, 0) + 1
    return sizes


def test_every_field_is_checked_with_the_message_next_to_it_in_the_chosen_language(app, client):
    _world(app)
    sign_in(client, "sup1")
    answer = _draw(client, name="", size="abc", seed="x" * 65)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and db.session.query(Sample).count() == 0
    assert re.search(r'id="name-error"[^>]*>长度（或项数）须在 1 到 200 之间', page)
    assert re.search(r'id="size-error"[^>]*>必须是整数。', page)
    assert re.search(r'id="seed-error"', page) and 'aria-invalid="true"' in page
    answer = _draw(client, size="", share="1.5", lang="en")
    page = answer.get_data(as_text=True)
    assert answer.status_code == 422 and re.search(r'id="share-error"[^>]*>Must be more than 0', page)
    answer = _draw(client, size="")
    assert re.search(r'id="size-error"[^>]*>请填写每层户数或抽样比例', answer.get_data(as_text=True))
    answer = _draw(client, village_codes="150782101299")  # a village with no household
    assert answer.status_code == 422 and "没有符合此设计的有效农户" in answer.get_data(as_text=True)


def test_a_double_clicked_draw_draws_one_sample(app, client):
    _world(app)
    sign_in(client, "sup1")
    token, once = _form_tokens(client.get(E + "/samples"))
    fields = {"csrf_token": token, "once": once, "name": "双击", "size": "2"}
    first = client.post(E + "/samples", data=fields)
    second = client.post(E + "/samples", data=fields)
    assert first.status_code == second.status_code == 302
    assert second.headers["Location"] == first.headers["Location"]
    assert db.session.query(Sample).count() == 1
    assert "只执行了一次" in client.get(second.headers["Location"]).get_data(as_text=True)
    assert db.session.query(AuditEntry).filter_by(action="sample.draw").count() == 1
    missing = client.post(E + "/samples", data={"csrf_token": token, "name": "无令牌", "size": "2"})
    assert missing.status_code == 400 and db.session.query(Sample).count() == 1


def test_assigning_refuses_an_enumerator_of_the_place_and_says_why_then_assigns_another(app, client):
    world = _world(app)
    make_enumerator(world["evaluation"], "local1", county="阿尔山市", county_code="150782", township="白狼镇")
    sign_in(client, "sup1")
    url = E + f"/samples/{_sample_id(_draw(client))}"
    before = db.session.query(Assignment).count()
    refused = _post(client, url, url + "/assign", enumerator="local1", scope="all")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 409 and db.session.query(Assignment).count() == before
    assert "未分配任何样本" in page and "local1 来自同一县（阿尔山市）：调查员不在本县调查" in page
    assert page.count('<li><a href="#unit-') == 6  # every unit is named
    assert "justification" not in page  # a supervisor cannot override
    page = client.get(url).get_data(as_text=True)
    assert _counts(page) == {"样本单位": 6, "已分配": 3, "已访谈": 3, "未完成": 3, "未分配": 3, "已替换": 0}
    done = _post(client, url, url + "/assign", enumerator="enum1", scope="all")
    assert done.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "已将 3 个样本单位分配给 enum1" in page  # the three it held already are not assigned twice
    assert _counts(page) == {"样本单位": 6, "已分配": 6, "已访谈": 3, "未完成": 3, "未分配": 0, "已替换": 0}
    assert page.count('data-state="interviewed"') == 3 and page.count('data-state="assigned"') == 3


def _counts(page):
    return {name: int(n) for name, n in re.findall(r"<li>([^<]+)<strong>(\d+)</strong></li>", page)}


def test_an_admin_may_override_a_refusal_with_a_written_justification(app, client):
    world = _world(app)
    make_enumerator(world["evaluation"], "local1", county="阿尔山市", county_code="150782")
    sign_in(client, "adm1")
    url = E + f"/samples/{_sample_id(_draw(client))}"
    answer = _post(client, url, url + "/assign", enumerator="local1", scope="all",
                   justification="本村无其他调查员，经评估组长批准")
    assert answer.status_code == 302
    rows = db.session.query(Assignment).filter(Assignment.override_justification.isnot(None)).all()
    assert len(rows) == 6 and rows[0].override_justification == "本村无其他调查员，经评估组长批准"


def test_ticked_units_only_and_a_missing_choice(app, client):
    _world(app)
    sign_in(client, "sup1")
    sample_id = _sample_id(_draw(client))
    url = E + f"/samples/{sample_id}"
    page = _post(client, url, url + "/assign", enumerator="", scope="selected")
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "请选择调查员" in text and "请勾选要分配的样本单位" in text
    unit = (db.session.query(SampleUnit).join(Household, Household.id == SampleUnit.household_id)
            .filter(SampleUnit.sample_id == sample_id, Household.village_code == village_code(2)).first())
    assert _post(client, url, url + "/assign", enumerator="enum1", scope="selected",
                 unit=str(unit.id)).status_code == 302
    held = db.session.query(Assignment).filter_by(sample_unit_id=unit.id).one()
    assert held.household_id == unit.household_id


def test_a_unit_is_replaced_with_a_reason_by_a_reproducible_substitute(app, client):
    _world(app)
    sign_in(client, "sup1")
    sample_id = _sample_id(_draw(client, size="1"))
    url = E + f"/samples/{sample_id}"
    unit = db.session.query(SampleUnit).filter_by(sample_id=sample_id).order_by(SampleUnit.id).first()
    no_reason = _post(client, url, url + "/substitute", unit=str(unit.id), reason="")
    assert no_reason.status_code == 422
    assert re.search(r'id="reason-error"[^>]*>请选择未能访谈的原因', no_reason.get_data(as_text=True))
    answer = _post(client, url, url + "/substitute", unit=str(unit.id), reason="absent", note="外出务工")
    assert answer.status_code == 302
    db.session.expire_all()
    new = db.session.query(SampleUnit).filter_by(substitute_for_id=unit.id).one()
    assert new.stratum == unit.stratum and new.household_id != unit.household_id
    page = client.get(url).get_data(as_text=True)
    assert f"替换样本单位 {unit.id}" in page and "外出务工" in page
    assert f'id="unit-{unit.id}" data-unit="{unit.id}" data-state="replaced"' in page
    again = _post(client, url, url + "/substitute", unit=str(unit.id), reason="refused")
    assert again.status_code == 409 and re.search(r'id="unit-error"[^>]*>该样本单位已被替换',
                                                  again.get_data(as_text=True))


def test_a_viewer_reads_and_another_evaluation_sees_nothing(app, client):
    _world(app)
    sign_in(client, "sup1")
    url = E + f"/samples/{_sample_id(_draw(client))}"
    client.post("/logout", data={"csrf_token": csrf(client.get("/"))})
    sign_in(client, "view1")
    page = client.get(url).get_data(as_text=True)
    assert "样本单位" in page and 'id="assign-form"' not in page and 'id="substitute-form"' not in page
    assert 'id="draw-form"' not in client.get(E + "/samples").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf(client.get("/"))})
    sign_in(client, "other1")
    assert client.get(url).status_code == 404

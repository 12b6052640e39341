"""The Settings page through its own forms: every rule of the registry with its explanation in both
languages, a parameter changed and its findings re-checked when the re-check offered is started, bad values
refused next to their field in the page's language with nothing saved, the reconciliation and figures
settings, and a change that needs no re-check offering none."""
import re

from markupsafe import escape

from server.infra.extensions import db
from server.models import AuditEntry, Evaluation, JobRecord, Submission
from server.recusal.registry import RULES
from testkit.dashboard_world import REVIEWED_ONLY, build_world
from testkit.figures_factories import run_worker
from tests.integration.dashboard.helpers import sign_in
from tests.integration.dashboard.html_forms import form

PAGE = "/dashboard/county1/settings"
ENGLISH = {"Accept-Language": "en"}


def _signed_in(app, client):
    world = build_world(app)
    assert sign_in(client, "adm1").status_code == 302
    return world


def _post(client, action, headers=None, **changes):
    fields = form(client.get(PAGE, headers=headers).get_data(as_text=True), action)
    for name, value in changes.items():
        fields.setlist(name, value if isinstance(value, list) else [value])
    return client.post(action, data=fields, headers=headers)


def _settings():
    db.session.expire_all()
    return db.session.query(Evaluation).filter_by(code="county1").one().settings


def test_every_rule_is_shown_with_its_parameters_and_both_explanations(app, client):
    _signed_in(app, client)
    zh = client.get(PAGE).get_data(as_text=True)
    en = client.get(PAGE, headers=ENGLISH).get_data(as_text=True)
    for rule in RULES:
        info = rule.info
        for page, title in ((zh, info.title_zh), (en, info.title_en)):
            article = page.split(f'id="rule-{info.code}"')[1].split("</article>")[0]
            assert all(escape(text) in article for text in (title, info.about_zh, info.about_en))
            for param in info.params:
                assert f'name="rules.{info.code}.{param.name}"' in article
        assert (info.params[0].about_zh if info.params else "") in zh.split(f'id="rule-{info.code}"')[1]
    assert "可接受的最短访谈时长" in zh and "shortest acceptable interview" in en


def test_a_parameter_change_is_saved_audited_and_offers_the_recheck_that_applies_it(app, client):
    world = _signed_in(app, client)
    clean = db.session.query(Submission).filter_by(instance_id=world["clean"]).one()
    assert clean.review_status == "clean"
    answer = _post(client, f"{PAGE}/rules", **{"rules.TIM-01.min_minutes": "40"})  # the interviews took 35
    assert answer.status_code == 302
    page = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert "在重新检查访谈之前，发现仍按原来的设置" in page and 'id="recheck-due"' in page
    assert _settings()["rules"]["rules"] == {"TIM-01": {"params": {"min_minutes": 40.0}}}
    entry = db.session.query(AuditEntry).filter_by(action="rules.settings").one()
    assert entry.actor == "user:adm1"
    assert entry.details["after"]["rules"]["TIM-01"]["params"]["min_minutes"] == 40
    db.session.refresh(clean)
    assert clean.review_status == "clean"  # nothing re-checked yet
    started = client.post(f"{PAGE}/recheck", data=form(page, f"{PAGE}/recheck"))
    assert started.status_code == 302 and "/settings/recheck/" in started.headers["Location"]
    progress = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "刷新" in progress and '<meta http-equiv="refresh"' in progress
    run_worker()
    done = client.get(started.headers["Location"]).get_data(as_text=True)
    assert 'id="job-done"' in done and "已重新检查 3 / 3 份访谈" in done
    db.session.expire_all()
    clean = db.session.query(Submission).filter_by(instance_id=world["clean"]).one()
    assert clean.review_status == "review"
    interview = client.get(f"/dashboard/county1/interviews/{world['clean']}").get_data(as_text=True)
    assert "TIM-01" in interview and "下限40分钟" in interview
    assert 'id="recheck-due"' not in client.get(PAGE).get_data(as_text=True)


def test_bad_values_are_refused_next_to_their_field_and_nothing_is_saved(app, client):
    _signed_in(app, client)
    before = db.session.query(AuditEntry).count()
    typed = _post(client, f"{PAGE}/rules",
                  **{"rules.TIM-01.min_minutes": "abc", "rules.TIM-03.earliest": "6点"})
    page = typed.get_data(as_text=True)
    assert typed.status_code == 422 and 'id="settings-refused"' in page
    assert 'id="rules.TIM-01.min_minutes-error">请输入数字。' in page
    assert 'id="rules.TIM-03.earliest-error">请输入时刻，例如 06:00。' in page
    assert 'value="abc"' in page  # what was typed is kept
    wide = _post(client, f"{PAGE}/rules", headers=ENGLISH, **{"rules.TIM-01.min_minutes": "9999"})
    assert 'id="rules.TIM-01.min_minutes-error">Enter a value from 0 to 600.' in wide.get_data(as_text=True)
    whole = _post(client, f"{PAGE}/rules", **{"rules.TIM-04.max_per_day": "2.5"})
    assert 'id="rules.TIM-04.max_per_day-error">请输入整数。' in whole.get_data(as_text=True)
    recon = _post(client, f"{PAGE}/reconciliation",
                  **{"tolerances.income_ratio": "-1", "backcheck.share": "2"})
    page = recon.get_data(as_text=True)
    assert 'id="tolerances.income_ratio-error">请输入不小于 0 的值。' in page
    assert 'id="backcheck.share-error">请输入大于 0、不超过 1 的值。' in page
    broken = _post(client, f"{PAGE}/reconciliation", advanced="{not json")
    assert broken.status_code == 422 and 'id="advanced-error">这不是一个 JSON 对象' in broken.get_data(as_text=True)
    unknown = _post(client, f"{PAGE}/reconciliation",
                    advanced='{"povrety_lines": {"national": {"2019": 3747}}}')
    assert 'id="advanced-error">没有这项设置。' in unknown.get_data(as_text=True)
    figures = _post(client, f"{PAGE}/figures", **{"thresholds.missed_rate.value": "2"})
    assert 'id="thresholds.missed_rate-error">请输入 0 到 1 之间的比例' in figures.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.query(AuditEntry).count() == before
    assert _settings() == REVIEWED_ONLY  # as the world made it


def test_reconciliation_and_figures_are_saved_and_only_what_interviews_keep_asks_a_recheck(app, client):
    _signed_in(app, client)
    lines = _post(client, f"{PAGE}/reconciliation", **{"line.year": ["2013", "2020", "2019", ""],
                                                       "line.amount": ["2736", "4000", "3747", ""]})
    assert lines.status_code == 302
    stored = _settings()["reconciliation"]
    assert stored["poverty_lines"] == {"national": {"2013": 2736.0, "2020": 4000.0, "2019": 3747.0}}
    assert stored["count_statuses"] == ["clean", "cleared"]  # the world's own, kept
    assert 'id="recheck-due"' in client.get(PAGE).get_data(as_text=True)
    client.post(f"{PAGE}/recheck", data=form(client.get(PAGE).get_data(as_text=True), f"{PAGE}/recheck"))
    threshold = _post(client, f"{PAGE}/figures", **{"thresholds.missed_rate.value": "0.05"})
    assert threshold.status_code == 302
    assert _settings()["reconciliation"]["thresholds"] == {"missed_rate": ["<", 0.05]}
    page = client.get(PAGE).get_data(as_text=True)
    assert 'id="recheck-due"' not in page and "已保存。" in page  # read when the figures are read
    statuses = _post(client, f"{PAGE}/figures", count_statuses=["clean", "cleared", "review"])
    assert statuses.status_code == 302 and _settings()["recheck_due"]["changed"] == ["reconciliation"]
    same = _post(client, f"{PAGE}/figures")
    assert "没有更改。" in client.get(same.headers["Location"]).get_data(as_text=True)


def test_the_recusal_level_and_a_double_clicked_recheck(app, client):
    _signed_in(app, client)
    answer = _post(client, f"{PAGE}/recusal-level", level="township")
    assert answer.status_code == 302 and _settings()["recusal_level"] == "township"
    level = client.get(PAGE).get_data(as_text=True)
    assert re.search(r'<option value="township" selected>乡镇</option>', level)
    assert 'name="rules.REC-02.level"' in level
    fields = form(level, f"{PAGE}/recheck")
    first, second = client.post(f"{PAGE}/recheck", data=fields), client.post(f"{PAGE}/recheck", data=fields)
    assert first.headers["Location"] == second.headers["Location"]
    assert db.session.query(JobRecord).filter_by(kind="pipeline.recheck").count() == 1
    assert db.session.query(AuditEntry).filter_by(action="pipeline.recheck").count() == 1

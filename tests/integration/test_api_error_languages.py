"""The API's errors in zh-Hans and English, chosen by Accept-Language, with the same stable codes.

zh-Hans is the first language (also for a request that names none); a request that accepts neither
gets English. Representative errors of each kind are walked in both languages over HTTP: a Problem
of the domain, the auth layer's, a request body marshmallow refused, the register's own validation
with per-field details, and an address with no route.
"""
import pytest

from server.accounts import api_tokens
from server.infra.extensions import db
from testkit.factories import make_evaluation
from testkit.household_factories import make_record, make_records

EN, ZH = {"Accept-Language": "en-GB,en;q=0.9"}, {"Accept-Language": "zh-CN,zh;q=0.9"}
BATCH = "/api/v1/evaluations/county1/households/batch"
HAN = "\u4e00-\u9fff"


@pytest.fixture
def bearer(app):
    evaluation = make_evaluation("county1")
    _, secret = api_tokens.create_token(evaluation, "archive", "import", actor="test")
    db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def _unknown_field():
    return {"json": [make_record(1), make_record(2, colour="red")]}


# (name, how to ask, status, code, English words, Chinese words)
CASES = [
    ("no credentials", lambda c, b, h: c.get("/api/v1/evaluations", headers=h),
     401, "auth.required", "Sign in, or send an API token", "请先登录"),
    ("revoked token",
     lambda c, b, h: c.get("/api/v1/evaluations", headers={**h, "Authorization": "Bearer fc_x"}),
     401, "auth.bad_token", "unknown or has been revoked", "不存在或已被撤销"),
    ("no such evaluation",
     lambda c, b, h: c.get("/api/v1/evaluations/nowhere/households", headers={**b, **h}),
     404, "evaluation.not_found", "There is no evaluation 'nowhere'.", "没有评估 'nowhere'。"),
    ("bad cursor", lambda c, b, h: c.get("/api/v1/evaluations/county1/households?cursor=not-ours",
                                         headers={**b, **h}),
     400, "request.bad_cursor", "not one this API gave out", "不是本接口给出的"),
    ("query out of range", lambda c, b, h: c.get("/api/v1/evaluations/county1/households?limit=abc",
                                                 headers={**b, **h}),
     422, "request.invalid", "Some fields of the request are not valid", "请求中有字段无效"),
    ("body not JSON", lambda c, b, h: c.post(BATCH, data=b"[{", headers={**b, **h},
                                             content_type="application/json"),
     400, "request.bad_json", "The body is not JSON", "请求体不是 JSON"),
    ("invalid record", lambda c, b, h: c.post(BATCH, headers={**b, **h}, **_unknown_field()),
     422, "household.invalid", "1 error(s) in 1 record(s); nothing was applied.",
     "1 条记录中有 1 处错误；本批全部未导入。"),
    ("no route", lambda c, b, h: c.get("/api/v1/no-such-thing", headers={**b, **h}),
     404, "http.404", "There is nothing at this address.", "此地址下没有内容。"),
]


@pytest.mark.parametrize("name, ask, status, code, english, chinese", CASES, ids=[c[0] for c in CASES])
def test_an_error_answers_in_the_language_asked_with_the_same_code(client, bearer, name, ask, status, code,
                                                                   english, chinese):
    in_english, in_chinese = ask(client, bearer, EN), ask(client, bearer, ZH)
    assert (in_english.status_code, in_chinese.status_code) == (status, status)
    assert in_english.json["code"] == in_chinese.json["code"] == code
    assert english in in_english.json["message"] and chinese in in_chinese.json["message"]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in in_english.json["message"].replace("nowhere", ""))
    assert in_english.headers["Content-Language"] == "en"
    assert in_chinese.headers["Content-Language"] == "zh-Hans"
    assert "Accept-Language" in in_chinese.headers["Vary"]


def test_details_are_worded_in_the_language_asked_and_keep_their_fields(client, bearer):
    english = client.post(BATCH, headers={**bearer, **EN}, **_unknown_field()).json["details"]
    chinese = client.post(BATCH, headers={**bearer, **ZH}, **_unknown_field()).json["details"]
    assert [(d["index"], d["field"]) for d in english] == [(d["index"], d["field"]) for d in chinese] == \
        [(1, "colour")]
    assert english[0]["message"] == "This field is unknown." and chinese[0]["message"] == "未知字段。"


def test_a_repeated_record_is_named_in_both_languages(client, bearer):
    twice = make_records(1) * 2
    english = client.post(BATCH, json=twice, headers={**bearer, **EN}).json["details"][0]["message"]
    chinese = client.post(BATCH, json=twice, headers={**bearer, **ZH}).json["details"][0]["message"]
    assert english == "the same household is already record 0 of this batch"
    assert chinese == "同一户已是本批第 0 条记录"


def test_a_reused_idempotency_key_in_both_languages(client, bearer):
    key = {"Idempotency-Key": "batch-2026-12-03-1"}
    assert client.post(BATCH, json=make_records(2), headers={**bearer, **key}).status_code == 200
    again = {lang: client.post(BATCH, json=make_records(3), headers={**bearer, **key, **h})
             for lang, h in (("en", EN), ("zh", ZH))}
    assert {a.status_code for a in again.values()} == {409}
    assert {a.json["code"] for a in again.values()} == {"idempotency.key_reused"}
    assert "use a new key for a new batch" in again["en"].json["message"]
    assert "新的批次请使用新的键" in again["zh"].json["message"]


@pytest.mark.parametrize("header, lang", [
    (None, "zh"), ("zh-Hans", "zh"), ("zh-TW", "zh"), ("*", "zh"), ("en-US", "en"), ("fr-FR, de;q=0.8", "en"),
    ("en;q=0.5, zh;q=0.9", "zh"), ("zh;q=0.4, en;q=0.8", "en"), ("fr, zh-CN;q=0.1", "zh")])
def test_the_language_follows_accept_language_zh_hans_first(client, app, header, lang):
    answer = client.get("/api/v1/evaluations", headers={"Accept-Language": header} if header else {})
    assert answer.json["code"] == "auth.required"
    assert answer.headers["Content-Language"] == {"zh": "zh-Hans", "en": "en"}[lang]
    assert (answer.json["message"] == "请先登录，或以 'Authorization: Bearer ...' 发送 API 令牌。") == (lang == "zh")

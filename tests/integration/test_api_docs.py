"""The API docs page in zh-Hans and English (Accept-Language, or ?lang=), with request bodies expanded
into fields, the error codes of each route and of the whole API, and worked examples that are true:
each example's request is sent to the server here and must get the answer the page shows."""
import json
import re
import sys
from pathlib import Path

import pytest

from server.api import docs_examples
from server.api.openapi import build_spec
from server.households import queries
from testkit.household_factories import make_record

ROOT = Path(__file__).resolve().parents[2]
HAN = re.compile(r"[\u4e00-\u9fff]")


def _page(client, **kwargs):
    answer = client.get("/api/v1/docs", **kwargs)
    assert answer.status_code == 200
    return answer, answer.get_data(as_text=True)


@pytest.mark.parametrize("how, lang", [
    ({"headers": {"Accept-Language": "zh-CN,zh;q=0.9"}}, "zh"), ({}, "zh"),
    ({"headers": {"Accept-Language": "en-US,en;q=0.8"}}, "en"),
    ({"headers": {"Accept-Language": "en"}, "query_string": {"lang": "zh"}}, "zh"),
    ({"headers": {"Accept-Language": "zh-CN"}, "query_string": {"lang": "en"}}, "en")])
def test_the_page_follows_accept_language_or_lang(client, app, how, lang):
    answer, text = _page(client, **how)
    assert answer.headers["Content-Language"] == {"zh": "zh-Hans", "en": "en"}[lang]
    if lang == "zh":
        assert '<html lang="zh-Hans">' in text and "新增或更新最多 5,000 户，全部成功或全不导入" in text
        assert "示例" in text and "用游标分页读取档案" in text and "全部错误代码" in text
        assert "Upsert up to 5,000 households" not in text
    else:
        assert '<html lang="en">' in text and "Upsert up to 5,000 households, all or none" in text
        assert "Worked examples" in text and "Paging through the register with a cursor" in text
        assert "新增或更新最多" not in text and "全部错误代码" not in text and "请求体" not in text


def test_request_bodies_are_expanded_into_fields_and_routes_list_their_codes(client, app):
    _, text = _page(client, query_string={"lang": "en"})
    assert "$ref" not in text
    batch = text[text.index('id="post-/api/v1/evaluations/{code}/households/batch"'):]
    batch = batch[:batch.index("<h3", 10)]
    for field in ("[].archive_id", "[].members[].id_number", "[].members[].sex",
                  "[].income[].per_capita_net"):
        assert f"<code>{field}</code>" in batch
    assert "male | female" in batch
    for code in ("auth.required", "evaluation.not_found", "request.invalid", "household.invalid",
                 "household.batch_too_large", "idempotency.key_reused"):
        assert f'href="#{code}"' in batch
    assert 'id="household.invalid"' in text and 'id="http.404"' in text and 'id="form.invalid"' in text


def test_every_route_summary_and_the_code_table_are_in_chinese(client, app):
    with app.test_request_context():
        zh, en = build_spec("zh").to_dict(), build_spec("en").to_dict()
    pairs = [(zh["paths"][p][m]["summary"], en["paths"][p][m]["summary"])
             for p in en["paths"] for m in en["paths"][p] if m != "parameters"]
    assert len(pairs) > 60
    assert [e for z, e in pairs if z == e or not HAN.search(z)] == []
    _, text = _page(client, query_string={"lang": "zh"})
    row = text[text.index('<tr id="household.invalid">'):]
    assert "‹records› 条记录中有 ‹errors› 处错误；本批全部未导入。" in row[:row.index("</tr>")]


def test_the_code_table_is_current():
    sys.path.insert(0, str(ROOT / "tools"))
    import problem_codes

    written = (ROOT / "server" / "api" / "error_codes.json").read_text(encoding="utf-8")
    assert written == problem_codes.rendered(), "run tools/problem_codes.py"


def _example(lang, number):
    from flask import current_app

    with current_app.test_request_context():
        return docs_examples.examples(lang)[number]


def test_the_token_example_is_what_the_server_does(client, runner, app):
    from testkit.factories import make_evaluation

    make_evaluation(docs_examples.CODE, name="2020 年阿尔山市退出评估")
    (cli, cli_answer), (_, listed) = _example("en", 0)["steps"]
    args = re.findall(r'"[^"]*"|\S+', cli.removeprefix("$ fieldcheck "))
    made = runner.invoke(args=[a.strip('"') for a in args])
    assert made.exit_code == 0, made.output
    assert made.stdout.splitlines()[0] == cli_answer.splitlines()[0]
    secret = made.stdout.splitlines()[-1]
    answer = client.get("/api/v1/evaluations", headers={"Authorization": f"Bearer {secret}"})
    assert answer.json == json.loads(listed)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_batch_error_and_cursor_examples_are_what_the_server_answers(client, runner, app, lang):
    from testkit.factories import make_evaluation

    make_evaluation(docs_examples.CODE)
    secret = runner.invoke(args=["tokens", "create", docs_examples.CODE, "--name", "archive", "--scope",
                                 "import"]).stdout.splitlines()[-1]
    headers = {"Authorization": f"Bearer {secret}", "Accept-Language": {"zh": "zh-CN", "en": "en"}[lang]}
    batch = f"/api/v1/evaluations/{docs_examples.CODE}/households/batch"
    refused = client.post(batch, json=[docs_examples.wrong_record()], headers=headers)
    shown = _example(lang, 2)["steps"][0][1]
    assert f"HTTP/1.1 {refused.status_code}" in shown
    assert refused.json == json.loads(shown[shown.index("{"):])
    written = client.post(batch, json=[docs_examples.RECORD], headers={**headers, "Idempotency-Key": "k1"})
    assert written.json == docs_examples.BATCH_ANSWER
    more = [make_record(n) for n in (2, 3)]  # 150782101201000002 and ...03
    assert client.post(batch, json=more, headers=headers).status_code == 200
    (_, first), (second_url, second) = _example(lang, 3)["steps"]
    page = client.get(f"/api/v1/evaluations/{docs_examples.CODE}/households?limit=2", headers=headers).json
    assert [h["archive_id"] for h in page["items"]] == ["150782101201000001", "150782101201000002"]
    assert page["next_cursor"] == json.loads(
        first)["next_cursor"] == queries.encode_cursor("150782101201000002")
    rest = client.get(re.search(r"'(https://[^']+)'", second_url).group(1).replace(docs_examples.HOST, ""),
                      headers=headers).json
    assert [h["archive_id"] for h in rest["items"]] == ["150782101201000003"]
    assert rest["next_cursor"] is None is json.loads(second)["next_cursor"]

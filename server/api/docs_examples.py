"""The worked examples of the API docs page: getting a token, importing a register batch, the error
that a wrong record gets, and paging through the register with a cursor. The request bodies are
the ones tests/integration/test_api_docs.py sends to a real server, and the answers shown are what
the server's own code makes of them (the error is the register's validation, in the page's language)."""
import copy
import json

from server.api.route_examples import BATCH_ANSWER
from server.households import queries, service
from server.infra.errors import Problem
from server.infra.i18n import msg

HOST = "https://fieldcheck.example.org"
CODE = "county1"
RECORD = {
    "archive_id": "150782101201000001", "province": "内蒙古自治区", "province_code": "150000",
    "county": "阿尔山市", "county_code": "150782", "township": "白狼镇", "township_code": "150782101",
    "village": "第1村", "village_code": "150782101201", "group": "一组", "head_name": "赵振国",
    "phone": "13800000000", "registration_year": 2014, "poverty_attribute": "general",
    "main_cause": "illness",
    "other_causes": ["lack_skills"], "status": "exited", "exit_year": 2018,
    "members": [
        {"name": "赵振国", "sex": "male", "relation": "head", "birth_date": "1962-03-08",
         "id_number": "150782196203082417", "health": "chronic", "labour": "skilled",
         "school": "not_in_school"},
        {"name": "王秀兰", "sex": "female", "relation": "spouse", "birth_date": "1965-11-20",
         "id_number": "150782196511202425", "health": "healthy", "labour": "ordinary",
         "school": "not_in_school"},
    ],
    "income": [{"year": 2018, "per_capita_net": 4200.5}, {"year": 2019, "per_capita_net": 5100.0}],
    "indicators": {"food": True, "clothing": True, "water": True, "education": True, "medical": True,
                   "housing": True},
    "location": {"latitude": 47.1794, "longitude": 119.9487},
}


def wrong_record():
    """RECORD with a year written as text and a field the register does not have."""
    record = copy.deepcopy(RECORD)
    record.update(registration_year="2014", colour="red")
    return record


def examples(lang):
    """[{title, text, steps: [(request, answer)]}] in `lang`."""
    bearer = "Authorization: Bearer fc_3q2…"  # a token is shown once, when it is made
    batch_url = f"{HOST}/api/v1/evaluations/{CODE}/households/batch"
    list_url = f"{HOST}/api/v1/evaluations/{CODE}/households"
    cursor = queries.encode_cursor("150782101201000002")
    return [
        _example(lang, msg("A token for the archive system"), msg(
            "An admin makes a token on the server; it is printed once. The scope import may read, "
            "import the register and upload forms; read may only read."),
            [(f"$ fieldcheck tokens create {CODE} --name \"archive system\" --scope import",
              "created import token 1 (archive system); keep it safe, it is shown once:\nfc_3q2…"),
             (f"$ curl -H '{bearer}' {HOST}/api/v1/evaluations",
              _json([{"code": CODE, "name": "2020 年阿尔山市退出评估", "default_language": "zh",
                      "role": "token:import"}]))]),
        _example(lang, msg("Importing a batch of register records"), msg(
            "Up to 5,000 records per request, all or none. Send an Idempotency-Key so that a retry after "
            "a lost answer is safe."),
            [(f"$ curl -X POST {batch_url} -H '{bearer}' -H 'Content-Type: application/json' "
              f"-H 'Idempotency-Key: register-2020-06-01-part1' -d @batch.json\n\nbatch.json:\n"
              + _json([RECORD]), _json(BATCH_ANSWER))]),
        _example(lang, msg("An error answer"), msg(
            "The same batch with a year written as text and an unknown field: nothing is imported, and "
            "every error is listed with its record (index), household and field. code stays the same in "
            "every language; message follows Accept-Language."),
            [(f"$ curl -X POST {batch_url} -H '{bearer}' -H 'Accept-Language: {_accept(lang)}' "
              f"-H 'Content-Type: application/json' -d @wrong.json",
              "HTTP/1.1 422\nContent-Language: " + ("zh-Hans" if lang == "zh" else "en") + "\n\n"
              + _json(_refusal(lang)))]),
        _example(lang, msg("Paging through the register with a cursor"), msg(
            "Lists are ordered and paged: ask for limit records, then send the next_cursor you got "
            "until it is null. A cursor is only valid for the same list and filters."),
            [(f"$ curl -H '{bearer}' '{list_url}?limit=2'",
              _json({"items": ["{…150782101201000001…}", "{…150782101201000002…}"], "next_cursor": cursor})),
             (f"$ curl -H '{bearer}' '{list_url}?limit=2&cursor={cursor}'",
              _json({"items": ["{…150782101201000003…}"], "next_cursor": None}))]),
    ]


def _refusal(lang):
    try:
        service.check_batch([wrong_record()])
    except Problem as problem:
        return problem.to_dict(lang)
    raise AssertionError("the wrong record was accepted")  # tests/integration/test_api_docs.py


def _example(lang, title, text, steps):
    return {"title": title.render(lang), "text": text.render(lang), "steps": steps}


def _accept(lang):
    return "zh-CN,zh;q=0.9" if lang == "zh" else "en"


def _json(value):
    return json.dumps(value, ensure_ascii=False, indent=2)

"""The worked example of each API route, as the docs page (/api/v1/docs) and the OpenAPI document show it:
a request body as a client sends it (`documented(example=...)`) and the answer the server gives
(`documented(response_example=...)`). One county throughout, its 2020 exits evaluated in May 2021:
阿尔山市 (150782) of 内蒙古自治区, village 第1村 (150782101201) of 白狼镇, the households
150782101201000001 and on, and 150782101201009001 that the batch example registers; the enumerators
zhangwei (张伟) and the back-checker liqiang (李强), both from 海淀区 so that recusal lets them in; the
admin wang.jun; the shipped questionnaire fc_household_interview. Shapes several routes share (a
household, an enumerator, a form version, a job, an interview) are written once here.

tests/integration/test_api_route_examples.py sends these bodies to a real server seeded with the same
names and checks that every answer has the example's keys and JSON types, so keep an example's fields in
step with the route's answer. Names, ID numbers and secrets are made up.
"""
from server.api.household_schemas import RECORD_EXAMPLE

AT = "2021-05-01T02:25:41.120533+00:00"      # when something happened (UTC, as the API writes it)
LATER = "2021-05-01T02:31:07.804127+00:00"
INSTANCE_ID = "uuid:5a0d7e1c-3f52-4c8e-9b1d-2f6a8c4e7b90"
JOB_ID = "3d18a478-eef9-4408-96eb-8a5abf721293"
STATUS_URL = f"/api/v1/evaluations/county1/jobs/{JOB_ID}"

# --- request bodies --------------------------------------------------------------------------------------

LOGIN_EXAMPLE = {"username": "wang.jun", "password": "spring-review-2021"}
PASSWORD_CHANGE_EXAMPLE = {"current_password": "spring-review-2021", "new_password": "autumn-review-2021"}
WITHDRAW_EXAMPLE = {"reason": "户籍迁出，2021 年 4 月核实"}
ENUMERATOR_CREATE_EXAMPLE = {"username": "wangfang", "display_name": "王芳", "phone": "13900000000",
                             "team": "一组", "county": "海淀区", "county_code": "110108",
                             "township_code": "110108001", "village_code": "110108001001"}
ENUMERATOR_UPDATE_EXAMPLE = {"active": False}
DIGEST_PASSWORD_EXAMPLE = {"password": "a long passphrase"}
ASSIGNMENT_EXAMPLE = {"enumerator": "zhangwei", "archive_id": "150782101201000004"}
DRAW_EXAMPLE = {"name": "2021 年 5 月入户抽样", "seed": "2021-05",
                "design": {"method": "random", "per_village": True, "share": 0.2, "screening_villages": 1}}
ASSIGN_EXAMPLE = {"enumerator": "zhangwei", "units": [101, 102]}
SUBSTITUTE_EXAMPLE = {"reason": "absent", "note": "外出务工，三次上门未遇"}
BACKCHECK_DRAW_EXAMPLE = {"share": 0.1, "seed": "bc-2021-05", "backcheckers": ["liqiang"]}
DECRYPTION_EXAMPLE = {"private_key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC…\n"
                                     "-----END PRIVATE KEY-----\n",
                      "passphrase": "the key's passphrase", "form": "fc_household_interview", "limit": 100}
EXPORT_EXAMPLE = {"form": "fc_household_interview", "format": "xlsx", "labels": "zh-Hans",
                  "filters": {"status": ["clean", "cleared"], "village": "150782101201",
                              "date_from": "2021-05-01", "date_to": "2021-05-31"}}
FORM_STATE_EXAMPLE = {"state": "closing"}
AUDIENCE_EXAMPLE = {"teams": ["回访组"]}
REVIEW_EXAMPLE = {"decision": "clear", "reason": "定位偏差系手机信号所致，照片与户主核对无误"}
VERDICT_EXAMPLE = {"flag": "wrongly_exited", "decision": "confirm",
                   "reason": "2020 年人均纯收入 1,000 元，低于当年标准 4,000 元"}
LINK_EXAMPLE = {"archive_id": "150782101201000004", "reason": "明白卡遗失，户主身份证核对无误"}
RULES_EXAMPLE = {"rules": {"TIM-01": {"params": {"min_minutes": 20}}, "GPS-03": {"severity": "exclude"}},
                 "could_not_run": "review"}
RECUSAL_EXAMPLE = {"level": "township"}
RECONCILIATION_EXAMPLE = {"poverty_lines": {"150000": {"2020": 4600}}, "tolerances": {"income_ratio": 0.15},
                          "backcheck": {"share": 0.1}}
TOKEN_EXAMPLE = {"name": "档案系统", "scope": "import"}
NEW_USER_EXAMPLE = {"username": "li.na", "role": "viewer", "display_name": "李娜"}
ROLE_EXAMPLE = {"role": "supervisor"}
WEBHOOK_EXAMPLE = {"url": "https://archive.example.cn/fieldcheck/hooks",
                   "events": ["interview.checked", "interview.reviewed"]}
BATCH_EXAMPLE = [RECORD_EXAMPLE]

# --- answers: shapes several routes share ----------------------------------------------------------------


def _masked(record, shown=("archive_id", "village", "head_name", "status", "exit_year", "income")):
    """Some fields of a register record as the API shows it: each ID number masked (id_number_masked)."""
    members = [{**{k: v for k, v in m.items() if k != "id_number"},
                "id_number_masked": m["id_number"][:4] + "*" * 10 + m["id_number"][-4:]}
               for m in record["members"]]
    return {**{k: record[k] for k in shown}, "members": members}


HOUSEHOLD = {"archive_id": RECORD_EXAMPLE["archive_id"], "county_code": "150782",
             "township_code": "150782101", "village_code": "150782101201", "village": "第1村",
             "head_name": RECORD_EXAMPLE["head_name"],
             "member_count": 1, "status": "exited", "version": 1, "change_seq": 1, "withdrawn_at": None,
             "updated_at": AT, "record": _masked(RECORD_EXAMPLE)}
WITHDRAWN_HOUSEHOLD = {**HOUSEHOLD, "version": 2, "change_seq": 6, "withdrawn_at": LATER, "updated_at": LATER}
CARD = {"archive_id": RECORD_EXAMPLE["archive_id"], "token": "cYlddrtQuDRidP4kI1DOrw",
        "url": "https://fieldcheck.example.org/h/cYlddrtQuDRidP4kI1DOrw",
        "revoked": ["fVdFr6HyoVk32-92vTdoTw"]}

ENUMERATOR = {"username": "zhangwei", "display_name": "张伟", "province": "北京市", "county": "海淀区",
              "township": "", "village": "", "county_code": "110108", "township_code": None,
              "village_code": None, "team": "一组", "phone": "13800000000", "active": True,
              "has_password": False, "token_created_at": AT, "created_at": AT}
NEW_ENUMERATOR = {**ENUMERATOR, "username": "wangfang", "display_name": "王芳", "province": "",
                  "township_code": "110108001", "village_code": "110108001001", "phone": "13900000000"}
SERVER_URL = "https://fieldcheck.example.org/key/sYRHR66LmCPzirUvbzFydwD576cM_wMB/county1"

# A job: queued as the upload's answer gives it, and done as GET .../jobs/<id> then shows it.
QUEUED_JOB = {"id": JOB_ID, "kind": "form.convert", "state": "queued", "progress": 0, "done": None,
              "total": None, "message": "queued", "result": None, "error": None, "created_at": AT,
              "updated_at": AT}
FORM_JOB = {**QUEUED_JOB, "state": "done", "progress": 100, "message": "converted",
            "result": {"form_id": "fc_household_interview", "version": "2026120301", "version_id": 1,
                       "published": True, "missing_media": []}, "updated_at": LATER}
RECHECK_JOB = {"id": JOB_ID, "kind": "pipeline.recheck", "state": "running", "progress": 40, "done": 2,
               "total": 5, "message": "2 of 5 done", "result": None, "error": None, "created_at": AT,
               "updated_at": AT}

WARNING = "建议用 max-pixels 参数缩小照片，加快上传、节省存储。"
VERSION = {"id": 1, "version": "2026120301", "title": "入户访谈问卷（精准扶贫第三方评估）",
           "md5": "0373ca507096c69dfb839f358bc2c927", "published_at": AT, "created_at": AT,
           "languages": ["zh", "en"], "media_names": ["fc_households.csv", "logo.png"],
           "media": [{"filename": "logo.png", "md5": "0d2a176d54658863a1b444049f586c65", "size": 4817,
                      "content_type": "image/png"}],
           "missing_media": [],
           "media_status": {"expected": [{"filename": "fc_households.csv", "kind": "file", "md5": None,
                                          "status": "generated", "via": "instance"}],
                            "missing": [], "unreferenced": [], "warnings": []},
           "warnings": [f"survey 表，第 3 行，parameters 列：{WARNING}"],
           "warning_details": [{"code": "parameters.suggest_max_pixels", "sheet": "survey", "row": 3,
                                "column": "parameters", "message": WARNING,
                                "text": {"zh": WARNING, "en": "Use the max-pixels parameter to speed up "
                                                              "submission sending and save storage."}}],
           "state": "current",
           "contract": {"checks": {"identity.qr": {"supported": True, "missing": [], "reasons": []},
                                   "audio": {"supported": False, "missing": ["audio"],
                                             "reasons": ["缺少字段 'audio'（约定项 audio）"]}},
                        "field_map": {}, "fields": {"hh_qr": "/data/card/hh_qr", "audio": None}},
           "encrypted": False}
FORM = {"form_id": "fc_household_interview", "title": VERSION["title"], "state": "open", "field_map": {},
        "audience": None, "current_version": VERSION,
        "versions": [{k: VERSION[k] for k in ("id", "version", "md5", "published_at", "state")}]}

INTERVIEW = {"instance_id": INSTANCE_ID, "root_instance_id": INSTANCE_ID, "status": "review",
             "processing": "processed", "enumerator": "zhangwei", "household": "150782101201000002",
             "village_code": "150782101201", "day": "2021-05-01", "received_at": AT, "codes": ["GPS-03"],
             "problem": None}
GPS_FINDING = {"code": "GPS-03", "rule_version": 1, "severity": "review", "outcome": "found",
               "title": {"zh": "定位离登记住址过远", "en": "GPS far from the registered dwelling"},
               "message": {"zh": "定位距登记住址6.7公里，上限2公里",
                           "en": "GPS 6.7 km from the registered dwelling, limit 2 km"},
               "reason": "", "evidence": {"distance_km": 6.721, "limit_km": 2.0},
               "parameters": {"max_km": 2.0}}
ANSWERS = {"data": {"enumerator": "zhangwei", "card/hh_qr": "7ye1tphEVkyDMODFoTooug",
                    "cover/gps": {"lat": 47.2318, "lon": 120.008, "alt": 1200.0, "accuracy": 8.0},
                    "household/hh_size": 4, "income/b1": 24000.0},
           "attachments": [{"name": "house.jpg", "path": "/data/close/photo_house", "present": True}],
           "unknown": []}
ATTACHMENT = {"name": "house.jpg", "content_type": "image/jpeg", "size": 183204,
              "sha256": "97a026b37e792c20f9159b9386bbfdcafc698ade002c65dafe6282ade4dbeb78"}
REVIEW_DECISION = {"decision": "clear", "reason": REVIEW_EXAMPLE["reason"], "codes": ["GPS-03"],
                   "actor": "user:wang.jun", "decided_at": LATER}
COMPARISONS = [{"item": "registered", "record": True, "answer": True, "tolerance": None, "verdict": "agrees"},
               {"item": "income_above_line", "record": {"line": 4000.0, "table": "national", "year": 2020},
                "answer": 1000.0, "tolerance": "per-capita income >= the line of the exit year",
                "verdict": "differs"}]
CLASSIFICATION = {"household_type": "exited", "outcome": "interviewed", "persons": 4,
                  "flags": {"wrongly_exited": {"verdict": "suspected", "reasons": ["below_line"]},
                            "missed": {"verdict": "not_applicable", "reasons": []},
                            "wrongly_registered": {"verdict": "clear", "reasons": []}},
                  "evidence": {"income": 1000.0, "line": 4000.0, "line_year": 2020, "line_table": "national"},
                  "endorsed": True}
RECONCILIATION = {"instance_id": INSTANCE_ID, "status": "clean", "household": "150782101201000003",
                  "household_type": "exited", "comparisons": COMPARISONS, "classification": CLASSIFICATION,
                  "effective_flags": {"wrongly_exited": True, "missed": False, "wrongly_registered": False},
                  "verdicts": [], "reconciled_at": AT}

UNIT = {"id": 101, "stratum": "150782101201/exited", "rank": 0, "archive_id": "150782101201000001",
        "head_name": "赵芬秀", "village": "第1村", "village_code": None, "assigned_to": ["zhangwei"],
        "outcome": None, "substitute_for_id": None, "substitute_reason": None}
SAMPLE = {"id": 1, "name": DRAW_EXAMPLE["name"], "seed": DRAW_EXAMPLE["seed"],
          "design": {**DRAW_EXAMPLE["design"]}, "created_at": AT,
          "units": [UNIT, {**UNIT, "id": 103, "stratum": "screening", "archive_id": None, "head_name": None,
                           "village": None, "village_code": "150782101201", "assigned_to": []}]}
COUNTS = {"units": 1, "assigned": 1, "interviewed": 1, "missing": 0, "unassigned": 0, "replaced": 0}
BACKCHECK_TARGET = {"id": 1, "draw_id": 1, "instance_id": INSTANCE_ID, "enumerator": "zhangwei",
                    "backchecker": "liqiang", "household": "150782101201000003", "done": True,
                    "comparison": [{"key": "b8", "type": 2, "original": "4000_6000", "backcheck": "4000_6000",
                                    "verdict": "same"},
                                   {"key": "hh_resident", "type": 1, "original": 3, "backcheck": 4,
                                    "verdict": "differs"}],
                    "compared_at": LATER}
RATE = {"compared": 8, "differences": 1, "error_rate": 0.125}
EXPORT_ID = "1817014a-44c5-4767-92ec-2b97cbc9fa3b"
EXPORT_JOB = {"id": EXPORT_ID, "kind": "export", "state": "queued", "progress": 0, "done": None,
              "total": None, "message": "queued", "result": None, "error": None, "created_at": AT,
              "updated_at": AT, "download_url": None}
RULE_SETTINGS = {"overrides": {"rules": {}, "could_not_run": "review"},
                 "effective": {"could_not_run": "review",
                               "rules": {"GPS-03": {"enabled": True, "severity": "review",
                                                    "params": {"max_km": 2.0}},
                                         "TIM-01": {"enabled": True, "severity": "review",
                                                    "params": {"min_minutes": 15}}}}}
RECONCILIATION_EFFECTIVE = {"poverty_lines": {"national": {"2013": 2736, "2020": 4000}},
                            "tolerances": {"exit_year": 0, "household_size": 0, "income_ratio": 0.2,
                                           "registration_year": 0},
                            "count_statuses": ["clean", "cleared"],
                            "backcheck": {"share": 0.1, "form_id": "fc_backcheck",
                                          "interview_form_id": "fc_household_interview"}}
TOKEN = {"id": 1, "name": TOKEN_EXAMPLE["name"], "scope": "import", "prefix": "fc_R2cIEU1", "created_at": AT,
         "last_used_at": LATER, "revoked_at": None}
MEMBER = {"username": "li.na", "display_name": "李娜", "role": "viewer", "site_admin": False, "active": True}
SUBSCRIPTION = {"id": 2, "url": WEBHOOK_EXAMPLE["url"], "events": WEBHOOK_EXAMPLE["events"], "active": True,
                "consecutive_failures": 0, "retry_at": None, "disabled_reason": None,
                "created_by": "user:wang.jun", "created_at": AT}
DELIVERY = {"id": 11, "uuid": "ec7b788d-8cf1-4b3f-a012-6551f75be75d", "event": "interview.checked",
            "state": "delivered", "attempts": 2, "last_status": 200, "last_error": None,
            "log": [{"at": AT, "status": 503, "error": "HTTP 503: Service Unavailable", "ms": 412},
                    {"at": LATER, "status": 200, "error": None, "ms": 87}],
            "created_at": AT, "delivered_at": LATER}
EVENT = {"id": 5, "name": "submission.received", "queue": "submissions", "state": "failed",
         "payload": {"submission_id": 5}, "attempts": 5,
         "last_error": "Problem: The submission XML cannot be parsed: expected '>', line 1, column 14",
         "created_at": AT, "next_attempt_at": None}

# --- answers, route by route -----------------------------------------------------------------------------

SESSION_ANSWER = {"username": "wang.jun", "csrf_token": "4V7NdDyp6KvVAXmeXi9Ne74yu7GM1yz5"}
EVALUATIONS_ANSWER = [{"code": "county1", "name": "2020 年阿尔山市退出评估", "default_language": "zh",
                       "role": "admin"}]
RULES_ANSWER = [{"code": "REC-01", "version": 1, "theme": "recusal", "severity": "exclude",
                 "title": {"zh": "访谈时有干部、帮扶责任人或驻村工作队在场",
                           "en": "Official, helper or work team present"},
                 "explanation": {"zh": "访谈时在场人员中有村干部、乡镇干部、帮扶责任人或驻村工作队成员，违反清场要求。",
                                 "en": "The persons present at the interview include a village or township "
                                       "cadre, the household's helper or the resident work team."},
                 "needs": ["present"],
                 "parameters": [{"name": "officials", "kind": "list",
                                 "default": ["village_cadre", "township_cadre"],
                                 "choices": ["village_cadre", "township_cadre"], "minimum": None,
                                 "maximum": None, "unit": "",
                                 "about": "answers of 'present' that count as officials",
                                 "about_zh": "“在场人员”中算作干部的答案"}]}]

BATCH_ANSWER = {"received": 1, "created": 1, "updated": 0, "unchanged": 0, "last_change_seq": 1}
HOUSEHOLD_PAGE_ANSWER = {"items": [HOUSEHOLD], "next_cursor": "MTUwNzgyMTAxMjAxMDA5MDAx"}
HOUSEHOLD_INTERVIEWS_ANSWER = {"items": [{"instance_id": INSTANCE_ID, "received_at": AT, "day": "2021-05-01",
                                          "review_status": "clean", "findings": 0, "enumerator": "zhangwei"}],
                               "next_cursor": None}
VILLAGES_ANSWER = {"villages": [{"village_code": "150782101201", "village": "第1村", "township": "白狼镇",
                                 "households": 186}]}
HOUSEHOLD_CHANGES_ANSWER = {"items": [{"archive_id": RECORD_EXAMPLE["archive_id"], "change_seq": 1,
                                       "version": 1, "status": "exited", "withdrawn_at": None,
                                       "updated_at": AT,
                                       "record_sha256": "453756a1f662648cc170870961b22b2c"
                                                        "dfab07106551410a8fb061405911cf37"}],
                            "next_since": 1, "has_more": True}
CURRENT_CARD_ANSWER = {**CARD, "revoked": []}
REVOKED_CARD_ANSWER = {"archive_id": CARD["archive_id"], "revoked": [CARD["token"]]}
IMPORT_STARTED_ANSWER = {"job": {**QUEUED_JOB, "kind": "households.import"}, "status_url": STATUS_URL}

FORM_UPLOAD_ANSWER = {"job": QUEUED_JOB, "status_url": STATUS_URL}
FORMS_ANSWER = [FORM]
CLOSING_FORM_ANSWER = {**FORM, "state": "closing"}
AUDIENCE_ANSWER = {**FORM, "audience": AUDIENCE_EXAMPLE["teams"], "receivers": 3}
CONTRACT_ANSWER = {"form_id": "fc_household_interview", "version_id": 1, "version": "2026120301",
                   "fields": {"hh_qr": "/data/card/hh_qr", "card_status": "/data/card/card_status"},
                   "checks": [{"code": "identity.qr", "kind": "rules", "title": "凭明白卡二维码识别农户",
                               "supported": True, "needs": ["hh_qr", "card_status"], "missing": [],
                               "reasons": []}]}

INTERVIEW_PAGE_ANSWER = {"items": [INTERVIEW], "next_cursor": 2}
INTERVIEW_ANSWER = {**INTERVIEW, "answers": ANSWERS, "findings": [GPS_FINDING],
                    "history": [{"id": 2, "run_at": AT, "trigger": "submission.received", "status": "review",
                                 "current": True, "codes": ["GPS-03"]}],
                    "decisions": [], "attachments": [ATTACHMENT]}
REVIEW_ANSWER = {"status": "cleared", "decision": REVIEW_DECISION}
VERDICT = {**{k: VERDICT_EXAMPLE[k] for k in ("flag", "decision", "reason")}, "actor": "user:wang.jun",
           "decided_at": LATER}
VERDICT_ANSWER = {**RECONCILIATION, "verdicts": [VERDICT]}
LINK_ANSWER = {"instance_id": INSTANCE_ID, "household": LINK_EXAMPLE["archive_id"], "queued": True}
FIGURES_ANSWER = {
    "evaluation": "county1", "level": "county",
    "assumptions": ["退出准确率 = 1 − 错退率 (persons); no official formula was found (evaluation.md §1.3)."],
    "count_statuses": ["clean", "cleared"],
    "policy": {"count_statuses": ["clean", "cleared"], "awaiting_review": "left_out",
               "statement": ["Rejected (excluded) interviews never count."]},
    "encrypted_not_checked": 0,
    "areas": [{"level": "county", "code": "150782", "placed": True, "names": {"county": "阿尔山市"},
               "interviews": 3, "counters": {"exited_persons": 8, "wrongly_exited_persons": 4},
               "fieldwork": {"visited": 3, "interviewed": 3, "refused": 0, "substitutes": 0},
               "figures": [{"name": "wrongly_exited_rate", "title_zh": "错退率",
                            "title_en": "wrongly exited (persons)", "unit": "persons", "numerator": 4,
                            "denominator": 8, "value": 0.5,
                            "ci95": [0.2152, 0.7848], "threshold": {"op": "<", "value": 0.02}, "pass": False,
                            "population": "registered households that exited (脱贫户) interviewed",
                            "denominator_rule": "persons of those households (register members)",
                            "left_out": {"awaiting_review": 1, "duplicate": 0, "encrypted_not_checked": 0,
                                         "refused": 0, "rejected": 0}}]}]}
FIGURE_INTERVIEWS_ANSWER = {"figure": "wrongly_exited_rate", "part": "numerator",
                            "items": [{"instance_id": INSTANCE_ID, "village_code": "150782101201",
                                       "persons": 4, "status": "clean"}],
                            "next_cursor": None}
FEED_ITEM = {
    "instance_id": INSTANCE_ID, "root_instance_id": INSTANCE_ID, "deprecated_id": None, "current": True,
    "form_id": "fc_household_interview", "form_version": "2026120301", "enumerator": "zhangwei",
    "household": "150782101201000003", "village_code": "150782101201", "received_at": AT,
    "processed_at": LATER, "processing": "processed", "status": "cleared", "encrypted": False,
    "xml_sha256": "0659ee6adf9c2fc6f633b2d430aaa3fb3278dd198156b41b88bffe5725a1201f", "answers": ANSWERS,
    "findings": [{k: GPS_FINDING[k] for k in ("code", "rule_version", "severity", "outcome", "message",
                                              "reason", "evidence")}],
    "reconciliation": {"household_type": "exited", "discrepancies": COMPARISONS[1:],
                       "comparisons": COMPARISONS, "classification": CLASSIFICATION},
    "decisions": [REVIEW_DECISION], "classification_reviews": [VERDICT],
    "attachments": [{**ATTACHMENT, "url": "https://fieldcheck.example.org/api/v1/evaluations/county1/"
                                          f"submissions/{INSTANCE_ID}/attachments/house.jpg"}]}
FEED_ANSWER = {"items": [FEED_ITEM], "next_cursor": "djEuMS4xLjE", "has_more": True}
CHAIN_HASH = "9ba107b7c96984bb241f81f843400b7cdd3da70a3eeb553e5b2bed85742cbc8a"
CHAIN_VERIFICATION_ANSWER = {"ok": True, "head": {"seq": 5, "hash": CHAIN_HASH}, "checked": 5,
                             "first_mismatch": None}
CHAIN_DIGEST_ANSWER = {"evaluation": "county1", "date": "2021-05-01", "entries": 5, "hash": CHAIN_HASH,
                       "head_chained_at": AT,
                       "statement": "fieldcheck evidence chain county1 2021-05-01 entries=5 "
                                    f"sha256={CHAIN_HASH}"}
FAILED_EVENTS_ANSWER = [EVENT]
RETRIED_EVENT_ANSWER = {**EVENT, "state": "pending", "attempts": 0}
DECRYPTION_ANSWER = {"decrypted": 11, "not_opened": 0, "queued": 11, "next_cursor": None,
                     "failed": [{"instance_id": INSTANCE_ID, "code": "decryption.missing_part",
                                 "message": "The encrypted part 'house.jpg.enc' has not been received."}]}

ENUMERATORS_ANSWER = [ENUMERATOR]
ENUMERATOR_ANSWER = {"enumerator": ENUMERATOR,
                     "quality": {"interviews": 5, "per_100": {"GPS-03": 20.0}, "median_minutes": 35.0,
                                 "backcheck_rate": 0.125, "last_sync": AT}}
NEW_ENUMERATOR_ANSWER = {"enumerator": NEW_ENUMERATOR, "server_url": SERVER_URL}
CHANGED_ENUMERATOR_ANSWER = {**NEW_ENUMERATOR, **ENUMERATOR_UPDATE_EXAMPLE}
ROTATED_TOKEN_ANSWER = {"enumerator": {**ENUMERATOR, "token_created_at": LATER},
                        "server_url": SERVER_URL.replace("sYRHR66LmCPzirUvbzFydwD576cM_wMB",
                                                         "UJXG7qZzykZ6-eFDjdZX_jppb2akZ_Zt")}
QR_ANSWER = {"server_url": SERVER_URL, "payload": "eJwtT0tKxEAQvYq0WzVxBGFmKbMQFVwIgm6atrqStNM…"}
ENUMERATOR_ASSIGNMENTS_ANSWER = [{"id": 3, "archive_id": "150782101201000003", "head_name": "张国明",
                                  "village": "第1村", "village_code": None, "sample_unit_id": None,
                                  "override": False, "interviewed": True, "created_at": AT}]
TEAMS_ANSWER = {"一组": 12, "回访组": 3}
ASSIGNMENT_ANSWER = {"id": 4, "enumerator": "zhangwei", "archive_id": ASSIGNMENT_EXAMPLE["archive_id"],
                     "village_code": None, "sample_unit_id": None, "override_justification": None,
                     "created_at": AT, "revoked_at": None}
ASSIGNMENTS_ANSWER = [ASSIGNMENT_ANSWER]
SAMPLES_ANSWER = {"samples": [{"id": 1, "name": SAMPLE["name"], "seed": SAMPLE["seed"], "created_at": AT,
                               "households": 38, "villages": 1, "replaced": 2}]}
ASSIGNED_ANSWER = {"assigned": 2, "assignment_ids": [57, 58]}
SUBSTITUTE_ANSWER = {**UNIT, "id": 104, "rank": 1, "archive_id": "150782101201000002", "head_name": "朱娟春",
                     "substitute_for_id": 102,
                     "substitute_reason": f"{SUBSTITUTE_EXAMPLE['reason']}: {SUBSTITUTE_EXAMPLE['note']}"}
COVERAGE_ANSWER = {"totals": {**COUNTS, "units": 2, "assigned": 2, "interviewed": 1, "missing": 1,
                              "screening_villages": 1, "screening_assigned": 0},
                   "strata": {"150782101201/exited": COUNTS,
                              "150782101201/not_exited": {**COUNTS, "interviewed": 0, "missing": 1}},
                   "states": {"101": "interviewed", "102": "assigned", "103": "screening"}}
BACKCHECK_DRAW_ANSWER = {"id": 1, "seed": BACKCHECK_DRAW_EXAMPLE["seed"],
                         "share": BACKCHECK_DRAW_EXAMPLE["share"],
                         "targets": [{**BACKCHECK_TARGET, "done": False, "comparison": None,
                                      "compared_at": None}],
                         "unassigned": []}
BACKCHECKS_ANSWER = {"items": [BACKCHECK_TARGET]}
BACKCHECK_REPORT_ANSWER = {"backchecks": 1, "outside_draw": [],
                           "by_enumerator": [{"enumerator": "zhangwei", **RATE}],
                           "by_backchecker": [{"backchecker": "liqiang", **RATE}],
                           "by_field": [{"key": "hh_resident", "compared": 1, "differences": 1,
                                         "error_rate": 1.0}],
                           "by_type": [{"type": 1, "compared": 5, "differences": 1, "error_rate": 0.2}],
                           "by_enumerator_and_type": {"1": [{"enumerator": "zhangwei", "compared": 5,
                                                             "differences": 1, "error_rate": 0.2}]}}
EXPORT_STARTED_ANSWER = {"job": EXPORT_JOB, "status_url": f"/api/v1/evaluations/county1/exports/{EXPORT_ID}"}
HOUSEHOLD_FILES_STARTED_ANSWER = EXPORT_STARTED_ANSWER  # the same kind of job, followed and fetched alike
EXPORT_DONE_ANSWER = {**EXPORT_JOB, "state": "done", "progress": 100, "message": "exported",
                      "updated_at": LATER,
                      "download_url": f"/api/v1/evaluations/county1/exports/{EXPORT_ID}/file",
                      "result": {"form_id": "fc_household_interview", "format": "xlsx",
                                 "filters": EXPORT_EXAMPLE["filters"], "versions": ["2026120301"],
                                 "interviews": 3, "undecrypted": 0, "statuses": {"clean": 2, "cleared": 1},
                                 "rows": {"fc_household_interview": 3, "fc_household_interview-members": 12},
                                 "name": "fc_household_interview.xlsx",
                                 "expires_at": "2021-05-02T02:31:07+00:00"}}

RULE_SETTINGS_ANSWER = RULE_SETTINGS
CHANGED_RULE_SETTINGS_ANSWER = {
    "overrides": {"rules": {"GPS-03": {"severity": "exclude"}, "TIM-01": {"params": {"min_minutes": 20.0}}},
                  "could_not_run": "review"},
    "effective": {"could_not_run": "review",
                  "rules": {"GPS-03": {"enabled": True, "severity": "exclude", "params": {"max_km": 2.0}},
                            "TIM-01": {"enabled": True, "severity": "review",
                                       "params": {"min_minutes": 20.0}}}},
    "rechecking": 6}
RECUSAL_ANSWER = {"level": "county"}
CHANGED_RECUSAL_ANSWER = {"level": RECUSAL_EXAMPLE["level"], "rechecking": 6}
RECONCILIATION_SETTINGS_ANSWER = {"overrides": {}, "effective": RECONCILIATION_EFFECTIVE, "queued": 0}
CHANGED_RECONCILIATION_SETTINGS_ANSWER = {
    "overrides": RECONCILIATION_EXAMPLE, "queued": 6,
    "effective": {**RECONCILIATION_EFFECTIVE, **{
        part: {**RECONCILIATION_EFFECTIVE[part], **RECONCILIATION_EXAMPLE[part]}
        for part in ("poverty_lines", "tolerances")}}}
RECHECK_ANSWER = {"submissions": 5, "job": RECHECK_JOB, "status_url": STATUS_URL}
WORKERS_ANSWER = {"workers": [{"name": "fieldcheck-worker-1", "state": "idle",
                               "queues": ["submissions", "chain"], "last_heartbeat": LATER, "pid": 4127}],
                  "queues": {"submissions": 0, "exports": 1, "webhooks": 0},
                  "outbox": {"submissions": {"failed": 1}}}

TOKENS_ANSWER = [TOKEN]
NEW_TOKEN_ANSWER = {**TOKEN, "last_used_at": None, "token": "fc_R2cIEU18xyEjrHVbe51p54GDO78w08j7Tu4zGZZJeV4"}
MEMBERS_ANSWER = [{**MEMBER, "username": "wang.jun", "display_name": "王军", "role": "admin"}, MEMBER]
NEW_MEMBER_ANSWER = {**MEMBER, "password": "k7m2-qx9p-a3fz-8hwe"}
CHANGED_ROLE_ANSWER = {**MEMBER, **ROLE_EXAMPLE}
PASSWORD_RESET_ANSWER = {"username": MEMBER["username"], "password": "b222-wums-5aar-z32z"}
DEACTIVATED_MEMBER_ANSWER = {**CHANGED_ROLE_ANSWER, "active": False}
ACTIVATED_MEMBER_ANSWER = CHANGED_ROLE_ANSWER
AUDIT_ANSWER = {"items": [{"id": 812, "at": AT, "actor": "user:wang.jun", "action": "member.role",
                           "target": "user:7", "details": {"username": "li.na", "before": "viewer",
                                                           "after": "supervisor"}}],
                "next_cursor": "2021-05-01T02:25:41.120533+00:00~812"}
SESSIONS_ENDED_ANSWER = {"ended": 2}
DEACTIVATED_USER_ANSWER = {"username": MEMBER["username"], "active": False}

SUBSCRIPTIONS_ANSWER = [SUBSCRIPTION]
NEW_SUBSCRIPTION_ANSWER = {**SUBSCRIPTION, "secret": "8c67QRAaXgLCFOKiG4P1TePA8-qU8P5IOT41B2TGKsg"}
DELIVERIES_ANSWER = [DELIVERY]
REDELIVERY_ANSWER = {**DELIVERY, "state": "pending", "delivered_at": None}

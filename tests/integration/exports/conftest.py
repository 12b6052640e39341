"""A form published in three versions (a field added in 2, one removed in 3) with a group, a repeat, a
select-multiple, a GPS point, a photo and Chinese and English labels; interviews sent as Collect sends
them; helpers to run an export through the API and read the file back."""
import io
from dataclasses import dataclass

import pytest

from server.infra.extensions import db
from server.models import Evaluation
from testkit.collect_wire import request_headers
from tests.integration.openrosa.conftest import multipart
from tests.integration.recusal.conftest import run_worker, sign_in
from testkit.openrosa_factories import PLAIN, instance, publish, setup_evaluation

FORM = """| survey |
| | type | name | label::中文 (zh) | label::English (en) |
| | begin_group | place | 地点 | Place |
| | text | village_name | 村名 | Village name |
| | end_group | | | |
| | integer | hh_size | 家庭人口 | Household size |
| | select_one yn | head | 户主在场 | Head present |
{income}| | select_multiple help | helps | 帮扶措施 | Assistance |
| | geopoint | gps | 位置 | Location |
{old}| | image | photo | 照片 | Photo |
| | begin_repeat | members | 成员 | Members |
| | text | member_name | 姓名 | Name |
| | integer | age | 年龄 | Age |
| | end_repeat | | | |
| choices |
| | list_name | name | label::中文 (zh) | label::English (en) |
| | help | cash | 现金 | Cash |
| | help | job | 就业 | Job |
| | help | none | 没有 | None |
| | yn | yes | 是 | Yes |
| | yn | no | 否 | No |
| settings |
| | form_title | form_id | version | default_language |
| | 入户调查 | {form_id} | {version} | 中文 (zh) |
"""
INCOME = "| | decimal | income | 收入 | Income |\n"
OLD = "| | text | old_q | 旧问题 | Old question |\n"
PHOTO = b"\xff\xd8\xff\xe0 a small jpeg " * 50


@dataclass
class World:
    evaluation_id: int
    token: str
    sent: list  # [(instance_id, version, fields, {attachment name: bytes})]

    @property
    def evaluation(self):
        return db.session.get(Evaluation, self.evaluation_id)

    def send(self, client, version, fields, files=None, form_id="hh"):
        instance_id, xml = instance(form_id, version, fields=fields)
        body, content_type = multipart(xml, list((files or {}).items()))
        answer = client.post(f"/key/{self.token}/county1/submission", headers=request_headers(), data=body,
                             content_type=content_type)
        assert answer.status_code == 201, answer.data
        self.sent.append((instance_id, version, fields, files or {}))
        return instance_id


def publish_three_versions(evaluation):
    publish(evaluation, FORM, form_id="hh", version="1", income="", old=OLD)
    publish(evaluation, FORM, form_id="hh", version="2", income=INCOME, old=OLD)
    publish(evaluation, FORM, form_id="hh", version="3", income=INCOME, old="")
    publish(evaluation, FORM, form_id="empty", version="1", income="", old="")
    publish(evaluation, PLAIN, form_id="plain")


@pytest.fixture
def world(app):
    evaluation, _, token = setup_evaluation()
    publish_three_versions(evaluation)
    return World(evaluation.id, token, [])


@pytest.fixture
def supervisor(client, world):
    return sign_in(client, "sup1", "supervisor", world.evaluation)


def export(client, headers, body, code="county1"):
    """Start an export, let the worker run it, download it: (job view, file bytes)."""
    started = client.post(f"/api/v1/evaluations/{code}/exports", headers=headers, json=body)
    assert started.status_code == 202, started.json
    assert started.json["job"]["state"] == "queued" and started.json["job"]["download_url"] is None
    waiting = client.get(started.json["status_url"], headers=headers)
    assert waiting.json["state"] == "queued" and waiting.headers["Retry-After"] == "2"  # when to ask again
    run_worker()
    answer = client.get(started.json["status_url"], headers=headers)
    job = answer.json
    assert job["state"] == "done" and "Retry-After" not in answer.headers, job
    download = client.get(job["download_url"], headers=headers)
    assert download.status_code == 200
    return job, download.data


def as_file(data):
    return io.BytesIO(data)

"""An encrypted interview cannot be checked until it is decrypted: the interview list shows it as
"encrypted, not checked" (not a blank status), and the figures do not count it."""
from tests.integration.openrosa.conftest import post, world  # noqa: F401  (fixture)
from tests.integration.openrosa.encryption import encrypted_submission
from tests.integration.recusal.conftest import run_worker, sign_in
from testkit.openrosa_factories import ENCRYPTED, publish

PHOTO = b"\xff\xd8\xff\xe0" + b"0" * 64


def test_an_encrypted_interview_is_listed_as_not_checked(client, world):  # noqa: F811
    publish(world.evaluation, ENCRYPTED, form_id="secret", public_key=encrypted_submission.PUBLIC_KEY)
    instance_id, envelope, parts = encrypted_submission("secret", "1", {"q1": "x", "photo": "p.jpg"},
                                                        {"p.jpg": PHOTO})
    assert post(client, world.base + "/submission", envelope, parts).status_code == 201
    run_worker()
    headers = sign_in(client, "viewer1", "viewer", world.evaluation)
    listed = client.get(f"/api/v1/evaluations/{world.evaluation.code}/submissions", headers=headers).json
    assert [(i["instance_id"], i["status"]) for i in listed["items"]] == [
        (instance_id, "encrypted_not_checked")]
    only = client.get(f"/api/v1/evaluations/{world.evaluation.code}/submissions?status=encrypted_not_checked",
                      headers=headers).json
    assert [i["instance_id"] for i in only["items"]] == [instance_id]
    clean = client.get(f"/api/v1/evaluations/{world.evaluation.code}/submissions?status=clean",
                       headers=headers).json
    assert clean["items"] == []
    figures = client.get(f"/api/v1/evaluations/{world.evaluation.code}/figures?level=evaluation",
                         headers=headers).json
    area = figures["areas"][0]
    assert area["interviews"] == 0 and area["fieldwork"]["visited"] == 0
    assert any("encrypted_not_checked" in line for line in figures["policy"]["statement"])

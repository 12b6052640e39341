"""The archive feed through the API: every checked interview once per change, in pages resumed from the
stored cursor (a new app, as after a restart, misses nothing and repeats nothing), bad cursors refused,
and on PostgreSQL a transaction still writing holds the feed back rather than letting it skip a row."""
import time

import pytest
from sqlalchemy import text

from server import create_app
from server.accounts import api_tokens
from server.infra.extensions import db
from server.models import Submission
from server.submissions import feed_marks
from testkit.factories import make_enumerator, make_evaluation, make_user
from testkit.figures_factories import run_worker
from testkit.recusal_factories import (assign, at, interview_fields, make_households, publish_interview_form,
                                       submit)


@pytest.fixture
def county(app):
    evaluation = make_evaluation("county1")
    publish_interview_form(evaluation)
    enumerator, _ = make_enumerator(evaluation, "enum1", county="海淀区", county_code="110108")
    households = make_households(evaluation, 5)
    for household, _ in households:
        assign(evaluation, enumerator, household)
    _, secret = api_tokens.create_token(evaluation, "archive", "read", actor="test")
    other = make_evaluation("county2")
    _, foreign = api_tokens.create_token(other, "theirs", "read", actor="test")
    db.session.commit()
    return {"evaluation": evaluation, "enumerator": enumerator, "households": households,
            "headers": {"Authorization": f"Bearer {secret}"},
            "foreign": {"Authorization": f"Bearer {foreign}"}}


def interview(county, i, **kwargs):
    """Household i's interview, two hours after household i-1's (one enumerator visits them in turn)."""
    household, token = county["households"][i]
    fields = interview_fields(token, household, start=at(8 + 2 * i, 0), **kwargs)
    return submit(county["evaluation"], county["enumerator"], fields)


def settled(timeout=20):
    """Wait until no transaction that began before now is still writing. On PostgreSQL the horizon is the
    whole cluster's, so other databases' traffic can hold the feed back for a moment; a reader polls."""
    if db.engine.dialect.name != "postgresql":
        return
    newest = db.session.execute(text("SELECT pg_current_xact_id()::text::bigint")).scalar()
    db.session.rollback()
    deadline = time.monotonic() + timeout
    while feed_marks.horizon() <= newest and time.monotonic() < deadline:
        db.session.rollback()
        time.sleep(0.05)
    db.session.rollback()


def read_all(client, headers, after=None, limit=2, settle=True):
    """Every page from `after` on: (items in order, the last cursor)."""
    if settle:
        settled()
    items = []
    while True:
        query = {"limit": limit, **({"after": after} if after else {})}
        page = client.get("/api/v1/evaluations/county1/changes", query_string=query, headers=headers)
        assert page.status_code == 200, page.get_json()
        body = page.get_json()
        items += body["items"]
        after = body["next_cursor"]
        if not body["has_more"]:
            return items, after


def test_each_checked_interview_comes_once_with_what_was_found(client, county):
    flagged = interview(county, 0, minutes=9).instance_id        # too short: TIM-01, review
    clean = [interview(county, i).instance_id for i in (1, 2, 3)]
    run_worker()
    waiting = interview(county, 4).instance_id                     # not checked yet: not in the feed

    items, cursor = read_all(client, county["headers"])

    assert [i["instance_id"] for i in items] == [flagged, *clean]
    first = items[0]
    assert first["status"] == "review"
    assert [f["code"] for f in first["findings"] if f["outcome"] == "found"] == ["TIM-01"]
    assert first["findings"][0]["message"]["zh"] and first["findings"][0]["evidence"]
    assert first["answers"]["data"]["consent_grp/consent"] == "yes"
    assert first["household"] and first["enumerator"] == "enum1"
    assert first["reconciliation"]["comparisons"], "the household's record was compared"
    assert first["reconciliation"]["discrepancies"] == [
        c for c in first["reconciliation"]["comparisons"] if c["verdict"] == "differs"]
    attachment = first["attachments"][0]
    assert attachment["sha256"] == "0" * 64
    assert attachment["url"].endswith(f"/api/v1/evaluations/county1/submissions/{flagged}/attachments/"
                                      f"{attachment['name']}")
    assert {i["status"] for i in items[1:]} == {"clean"}
    assert waiting not in [i["instance_id"] for i in items]

    # Nothing new: the stored cursor gives an empty page.
    again, same = read_all(client, county["headers"], after=cursor)
    assert (again, same) == ([], cursor)


def test_resuming_after_a_restart_misses_nothing_and_repeats_nothing(app, client, county):
    first = [interview(county, i).instance_id for i in (0, 1)]
    run_worker()
    seen, cursor = read_all(client, county["headers"], limit=1)
    assert [i["instance_id"] for i in seen] == first

    later = [interview(county, i, minutes=9).instance_id for i in (2, 3)]
    run_worker()
    review = client.post(f"/api/v1/evaluations/county1/submissions/{later[0]}/review",
                         json={"decision": "clear", "reason": "访谈时间短是因为户主只有十分钟，已电话核实。"},
                         headers=_supervisor(client, county))
    assert review.status_code == 201, review.get_json()

    restarted = create_app({**app.config}).test_client()  # a new process: only the cursor carries over
    resumed, _ = read_all(restarted, county["headers"], after=cursor)

    assert [i["instance_id"] for i in resumed] == [later[1], later[0]]  # the reviewed one moved to the end
    decided = resumed[-1]
    assert decided["status"] == "cleared" and decided["decisions"][0]["decision"] == "clear"


def test_a_cursor_that_is_not_the_feeds_is_refused(client, county):
    for bad in ("nonsense", "djEuOTk5LjAuMA", "-"):  # garbage; a well-formed cursor of evaluation 999
        answer = client.get("/api/v1/evaluations/county1/changes", query_string={"after": bad},
                            headers=county["headers"])
        assert answer.status_code == 400, bad
        assert answer.get_json()["code"] == "feed.bad_cursor"


def test_another_evaluations_token_does_not_see_the_feed(client, county):
    answer = client.get("/api/v1/evaluations/county1/changes", headers=county["foreign"])
    assert answer.status_code == 404
    assert client.get("/api/v1/evaluations/county1/changes").status_code == 401


def test_a_transaction_still_writing_holds_the_feed_back(app, client, county, services):
    if not services.real:
        pytest.skip("transaction ids and snapshots are PostgreSQL's; SQLite has one writer at a time")
    ids = [interview(county, i).instance_id for i in (0, 1)]
    run_worker()
    _, cursor = read_all(client, county["headers"])
    held_id = db.session.query(Submission.id).filter_by(instance_id=ids[0]).scalar()

    # A slow writer marks interview 0 and has not committed; interview 1 changes after it and commits.
    held = db.engine.connect()
    held_tx = held.begin()
    held.execute(text("UPDATE submission SET feed_mark = pg_current_xact_id()::text::bigint WHERE id = :i"),
                 {"i": held_id})
    client.post(f"/api/v1/evaluations/county1/submissions/{ids[1]}/review",
                json={"decision": "clear", "reason": "复核无误，访谈正常，记录在案备查。"},
                headers=_supervisor(client, county))

    waiting, cursor_while_held = read_all(client, county["headers"], after=cursor, settle=False)
    assert waiting == [] and cursor_while_held == cursor  # not interview 1 yet: 0 may still come before it

    held_tx.commit()
    held.close()
    arrived, _ = read_all(client, county["headers"], after=cursor)
    assert [i["instance_id"] for i in arrived] == [ids[0], ids[1]]


def _supervisor(client, county):
    """Headers of a signed-in supervisor of county1 (with the session's CSRF token)."""
    make_user("lead", "supervisor", county["evaluation"], password="pass-word-123")
    signed = client.post("/api/v1/session", json={"username": "lead", "password": "pass-word-123"})
    assert signed.status_code in (200, 201), signed.get_json()
    return {"X-CSRF-Token": signed.get_json()["csrf_token"]}


def test_the_feed_calls_a_discrepancy_what_reconciliation_calls_it():
    from server.feed import changes
    from server.reconciliation import match
    assert changes.DIFFERS == match.DIFFERS

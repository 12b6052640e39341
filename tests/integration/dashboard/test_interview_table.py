"""The interview table's filters and sorts, read through the dashboard page: each filter keeps exactly the
interviews it names, newest first or most findings first, and a page link continues where the last page
ended. Five interviews in two villages by two enumerators on four days, checked by the worker."""
import re
from collections import Counter

import pytest

from server.infra.extensions import db
from server.models import InterviewFact, RuleFinding, Submission
from server.households import service as household_service
from server.recusal import interview_table, review
from testkit.factories import make_enumerator, make_evaluation, make_user
from testkit.figures_factories import run_worker
from testkit.household_factories import make_record, village_code
from testkit.recusal_factories import (assign, at, interview_fields, make_households, publish_interview_form,
                                       submit)
from tests.integration.dashboard.helpers import sign_in

URL = "/dashboard/county1/interviews"
# name: (household index, enumerator, day of May, GPS far from the dwelling, minutes)
PLAN = {"a": (0, "enum1", 1, False, 35), "b": (1, "enum1", 2, True, 35), "c": (2, "enum2", 3, True, 5),
        "d": (3, "enum2", 2, False, 35), "e": (4, "enum1", 4, True, 35)}


@pytest.fixture
def table(app):
    evaluation = make_evaluation("county1")
    publish_interview_form(evaluation)
    people = {name: make_enumerator(evaluation, name, county="海淀区", county_code="110108")[0]
              for name in ("enum1", "enum2")}
    make_user("sup1", "supervisor", evaluation)
    households = (make_households(evaluation, 3, village=1)
                  + make_households(evaluation, 2, village=2, start=10))
    ids = {}
    for name, (n, person, day, far, minutes) in PLAN.items():
        household, token = households[n]
        assign(evaluation, people[person], household)
        gps = f"{household.latitude + 0.05} {household.longitude + 0.05} 1200.0 8.0" if far else None
        fields = interview_fields(token, household, start=at(10, 0, day=day), minutes=minutes, gps=gps,
                                  enumerator=person, cover__village_code=household.village_code)
        ids[name] = submit(evaluation, people[person], fields).instance_id
    run_worker()
    return {"evaluation": evaluation, "ids": ids, "households": [h for h, _ in households]}


def _shown(client, query=""):
    """The instance ids on the page, in order, with the findings column of each."""
    page = client.get(f"{URL}?{query}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    rows = re.findall(r'interviews/(uuid:[^"]+)">.*?</td>\s*<td>[^<]*</td><td>.*?</td><td>(\d+)</td>', html,
                      re.S)
    return [i for i, _ in rows], {i: int(n) for i, n in rows}


def _names(table, instance_ids):
    by_id = {v: k for k, v in table["ids"].items()}
    return "".join(by_id[i] for i in instance_ids)


def _found():
    """{instance id: current findings with outcome found}, read from the findings themselves."""
    rows = (db.session.query(Submission.instance_id)
            .join(RuleFinding, RuleFinding.submission_id == Submission.id)
            .filter(RuleFinding.current.is_(True), RuleFinding.outcome == "found",
                    Submission.current.is_(True)))
    return Counter(i for i, in rows)


def test_newest_first_and_each_filter_keeps_what_it_names(client, table):
    sign_in(client, "sup1")
    shown = lambda query="": _names(table, _shown(client, query)[0])  # noqa: E731
    assert shown() == "edcba"
    first, second = table["households"][0], table["households"][3]
    assert shown(f"village={first.village_code}") == "cba"
    assert shown(f"village={second.village_code}") == "ed"
    assert shown(f"township={first.township_code}") == shown(f"county={first.county_code}") == "edcba"
    assert shown(f"county={first.county_code}&village={second.village_code}") == "ed"
    assert shown("village=150782101999") == ""
    assert shown("enumerator=enum2") == "dc" and shown("enumerator=nobody") == ""
    assert shown("date_from=2025-05-03") == "ec" and shown("date_to=2025-05-02") == "dba"
    assert shown("date_from=2025-05-02&date_to=2025-05-02") == "db"
    # Filtered by days, newest interview day first (d, of day 2, came in after c, of day 3).
    assert shown("date_from=2025-05-02") == "ecdb"
    assert shown(f"household={second.archive_id}") == "d"
    assert shown("form=fc_household_interview") == "edcba" and shown("form=another_form") == ""
    statuses = dict(db.session.query(Submission.instance_id, Submission.review_status))
    for status in ("review", "clean"):
        expected = "".join(n for n in "edcba" if statuses[table["ids"][n]] == status)
        assert expected and shown(f"status={status}") == expected
    assert shown("rule=TIM-01") == "c" and shown("rule=GPS-03") == "ecb"
    assert shown(f"status=review&village={first.village_code}&enumerator=enum1") == "b"


def test_the_head_of_household_is_found_by_any_part_of_the_name(client, table):
    sign_in(client, "sup1")
    heads = {n: table["households"][PLAN[n][0]].head_name for n in PLAN}
    for part in {heads["d"], heads["d"][:2], heads["d"][1:], heads["d"][:1], heads["a"][1:3]}:
        expected = "".join(n for n in "edcba" if part in heads[n])
        assert _names(table, _shown(client, f"head={part}")[0]) == expected, part
    assert _names(table, _shown(client, "head=欧阳修")[0]) == ""
    assert _names(table, _shown(client, "head=%25")[0]) == ""  # a LIKE wildcard is a character here


def test_most_findings_first_counts_the_current_findings(client, table):
    sign_in(client, "sup1")
    order, counts = _shown(client, "sort=findings")
    found = _found()
    assert counts == {i: found.get(i, 0) for i in table["ids"].values()}
    assert found[table["ids"]["c"]] >= 2 and found[table["ids"]["a"]] == 0  # GPS-03 and TIM-01; clean
    by_instance = dict(db.session.query(Submission.instance_id, Submission.id))
    assert len(order) == 5 and order == sorted(order, key=lambda i: (-found.get(i, 0), -by_instance[i]))
    assert _names(table, _shown(client, "sort=findings&enumerator=enum1")[0]) == "eba"


def test_a_re_check_moves_the_count_and_the_order(client, table):
    """Findings change on a re-check (here a laxer TIM-01): the count the table sorts on follows."""
    sign_in(client, "sup1")
    c = table["ids"]["c"]
    before = _shown(client, "sort=findings")[1][c]
    review.change_settings(table["evaluation"], {"rules": {"TIM-01": {"params": {"min_minutes": 3}}}}, "test")
    db.session.commit()
    run_worker()
    order, counts = _shown(client, "sort=findings")
    assert counts[c] == before - 1 == _found()[c]
    assert _names(table, _shown(client, "rule=TIM-01")[0]) == ""
    assert _names(table, order)[-2:] == "da"  # the clean ones last, newest first


def test_a_page_link_continues_where_the_last_page_ended(table):
    """The keyset cursor of each order, page by page (2 rows a page), as bulk review pages through."""
    evaluation = table["evaluation"]
    village = table["households"][0].village_code
    for sort, filters in (("date", {}), ("findings", {}), ("date", {"village": village}),
                          ("findings", {"status": "review"}), ("date", {"date_from": "2025-05-02"})):
        whole, _ = interview_table.page(evaluation, filters, sort)
        pages, cursor = [], None
        while True:
            rows, cursor = interview_table.page(evaluation, filters, sort, cursor, limit=2)
            pages += [r["instance_id"] for r in rows]
            if cursor is None:
                break
        assert pages == [r["instance_id"] for r in whole] and whole, (sort, filters)


def test_the_interview_day_kept_on_the_submission_is_the_fact_s(table):
    rows = db.session.query(Submission.interview_day, InterviewFact.day).join(
        InterviewFact, InterviewFact.submission_id == Submission.id).all()
    assert len(rows) == 5 and all(kept == day for kept, day in rows)
    assert sorted(kept for kept, _ in rows) == ["2025-05-01", "2025-05-02", "2025-05-02", "2025-05-03",
                                                "2025-05-04"]


def test_a_register_correction_moves_the_household_s_interviews(client, table):
    """The place the table filters on is kept on the submission: a new village code in the register
    moves the household's interviews with it."""
    sign_in(client, "sup1")
    moved = table["households"][PLAN["d"][0]]
    record = make_record(10, village=2)  # as it was registered, but in village 3
    assert record["archive_id"] == moved.archive_id
    record.update(village_code=village_code(3), village="第3村")
    assert household_service.upsert_batch(table["evaluation"], [record], actor="test")["updated"] == 1
    db.session.commit()
    assert _names(table, _shown(client, f"village={village_code(3)}")[0]) == "d"
    assert _names(table, _shown(client, f"village={village_code(2)}")[0]) == "e"

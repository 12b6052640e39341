"""The in-memory index of the interviews a submission is compared with (one worker batch)."""
from server.recusal.neighbours import Fact, Neighbours


def fact(sid, root=None, current=True, **keys):
    return Fact(sid, 1, f"uuid:{sid}", root_instance_id=root or f"uuid:{sid}", current=current, **keys)


def ids(facts):
    return [f.submission_id for f in facts]


def test_found_by_day_household_or_vector_in_submission_order():
    index = Neighbours([fact(5, enumerator_id=1, day="2025-05-01"), fact(3, household_id=9),
                        fact(4, vector_sha256="v"), fact(6, enumerator_id=1, day="2025-05-02")])
    wanted = fact(7, enumerator_id=1, day="2025-05-01", household_id=9, vector_sha256="v")
    assert ids(index.around(wanted, "uuid:7")) == [3, 4, 5]


def test_never_itself_nor_another_version_of_the_interview_nor_another_evaluation():
    index = Neighbours([fact(1, household_id=9), fact(2, root="uuid:1", household_id=9),
                        Fact(3, 2, "uuid:3", household_id=9, root_instance_id="uuid:3")])
    assert ids(index.around(fact(1, household_id=9), "uuid:1")) == []


def test_a_new_fact_replaces_the_old_one_and_a_non_current_one_leaves():
    index = Neighbours([fact(1, household_id=9)])
    index.put(fact(1, household_id=8))
    assert ids(index.around(fact(2, household_id=9), "uuid:2")) == []
    assert ids(index.around(fact(2, household_id=8), "uuid:2")) == [1]
    index.put(fact(1, household_id=8, current=False))
    assert ids(index.around(fact(2, household_id=8), "uuid:2")) == []


def test_a_fact_without_keys_is_found_by_nothing():
    index = Neighbours([fact(1)])
    assert ids(index.around(fact(2), "uuid:2")) == []

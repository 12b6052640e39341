"""Two clients upserting overlapping batches at once end in one consistent register."""
import threading

import requests
from sqlalchemy import func, select

from server.infra.extensions import db
from server.models import Household, HouseholdToken
from testkit.household_factories import make_records


def test_overlapping_batches_at_once_end_consistent(live_server, bearer, evaluation):
    url = f"{live_server}/api/v1/evaluations/county1/households/batch"
    shared = make_records(150, start=0)
    batches = [shared + make_records(100, start=1000), make_records(100, start=2000) + shared]
    for record in batches[1][100:]:
        record["phone"] = "13911111111"  # the second client changes the shared households
    results, errors = [], []

    def send(records):
        try:
            for _ in range(3):
                response = requests.post(url, json=records, headers=bearer, timeout=120)
                results.append((response.status_code, response.json()))
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
    threads = [threading.Thread(target=send, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors and all(status == 200 for status, _ in results), results
    db.session.rollback()
    rows = db.session.execute(select(Household.archive_id, Household.change_seq, Household.version)
                              .where(Household.evaluation_id == evaluation.id)).all()
    assert len(rows) == len({r.archive_id for r in rows}) == 350
    seqs = sorted(r.change_seq for r in rows)
    assert len(set(seqs)) == len(seqs)  # every change got its own sequence number
    assert db.session.execute(select(func.count(HouseholdToken.id))).scalar() == 350
    total_changes = sum(body["created"] + body["updated"] for _, body in results)
    assert max(body["last_change_seq"] for _, body in results) == total_changes
    versions = {r.archive_id: r.version for r in rows}
    assert all(1 <= versions[r["archive_id"]] <= 6 for r in shared)

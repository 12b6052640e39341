"""Microbenchmark: µs per `read_header` call on a realistic ~3 KB Collect instance.

Run: python bench/bench_submission_header.py [iterations]. Target: < 1000 µs per parse.
"""
import os
import sys
import time

sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))

from server.submissions.instance_header import read_header  # noqa: E402
from testkit.collect_wire import build_instance_xml  # noqa: E402


def sample_instance():
    fields = {
        "start": "2025-01-31T10:22:03.000+08:00", "end": "2025-01-31T10:51:40.000+08:00",
        "household_qr": "hh-9f3a2c71", "county": "临洮县", "township": "洮阳镇", "village": "三甲村",
        "respondent": {"name": "张三", "age": "47", "relation": "户主"},
        "members": [{"m_name": f"成员{i}", "m_age": str(20 + i), "m_status": "在家"} for i in range(12)],
        "satisfaction": {f"s{i}": str(i % 5 + 1) for i in range(50)},
        "gps": "35.3755 103.8609 1890.0 4.5",
        "photo": "1738311111111.jpg", "note": "入户核实，情况属实。" * 22,
    }
    return build_instance_xml("household_survey", "2025013101",
                              "uuid:6f1c7b1e-3d5a-4c53-9a2b-4f8e5f0b9d11", fields,
                              instance_name="张三家")


def main(iterations=5000):
    xml = sample_instance()
    uploaded = ["1738311111111.jpg"]
    for _ in range(200):  # warm-up
        read_header(xml, uploaded)
    start = time.perf_counter()
    for _ in range(iterations):
        read_header(xml, uploaded)
    per_call = (time.perf_counter() - start) / iterations * 1e6
    print(f"read_header: {len(xml)} bytes, {iterations} iterations, {per_call:.1f} µs per parse")
    return per_call


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)

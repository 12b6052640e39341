"""Pause Python's cyclic garbage collector while a batch is parsed, checked and written.

A 5,000-household batch allocates about a million dicts and lists; every 700 allocations the collector
walks the young ones and now and then all of them, ~20% of a batch's CPU for nothing: JSON has no
reference cycles, so reference counting frees it all anyway. Collection resumes when the batch ends.
"""
import gc
from contextlib import contextmanager


@contextmanager
def paused():
    # With threads, whoever found the collector enabled turns it back on, so it never stays off.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
